//! Turns the flow of slabs into pages: stacks slabs in the type area, moves a slab (and the
//! slabs it is kept with) to the next page when it does not fit, cuts table rows taller than a
//! third of a page between lines (leaving more than a row's first line at the foot of a
//! page), and repeats a table's header row on each continued page. Each slab is placed once
//! and each keep chain is measured once per slab: linear time.

use crate::units::Rect;

use super::page::Page;
use super::slab::{shift, Flow, Slab};
use super::style::Style;

/// Float tolerance when checking that a slab fits (pt).
const FIT_TOLERANCE: f32 = 0.01;

/// Pages built so far and the position on the current one.
pub(crate) struct Paginator {
    pages: Vec<Page>,
    cursor: f32,
    /// True until a slab other than a repeated header lands on the current page.
    fresh: bool,
    repeat_header: Option<Slab>,
}

impl Paginator {
    pub fn new() -> Paginator {
        Paginator {
            pages: Vec::new(),
            cursor: 0.0,
            fresh: true,
            repeat_header: None,
        }
    }

    /// Starts a document on a new page in `style`; returns that page's index.
    pub fn start_document(&mut self, style: &Style) -> usize {
        self.repeat_header = None;
        let type_area = Rect {
            x: style.margin_left,
            y: style.margin_top,
            width: style.measure(),
            height: style.depth(),
        };
        self.pages.push(Page {
            width: style.page_width,
            height: style.page_height,
            type_area,
            body: Vec::new(),
            furniture: Vec::new(),
        });
        self.cursor = 0.0;
        self.fresh = true;
        self.pages.len() - 1
    }

    pub fn finish(self) -> Vec<Page> {
        self.pages
    }

    pub fn place_flow(&mut self, flow: &[Flow]) {
        for (i, item) in flow.iter().enumerate() {
            match item {
                Flow::PageBreak if !self.fresh => self.new_page(),
                Flow::PageBreak => {}
                Flow::TableHeader(header) => {
                    self.place(header.clone(), chain_height(flow, i, self.depth()));
                    self.repeat_header = Some(header.clone());
                }
                Flow::TableEnd => self.repeat_header = None,
                Flow::Slab(slab) => self.place(slab.clone(), chain_height(flow, i, self.depth())),
            }
        }
    }

    fn page(&self) -> &Page {
        // `start_document` runs before any flow is placed, so there is always a page.
        &self.pages[self.pages.len() - 1]
    }

    fn depth(&self) -> f32 {
        self.page().type_area.height.0
    }

    fn room(&self, space_before: f32) -> f32 {
        self.depth() - self.cursor - if self.fresh { 0.0 } else { space_before }
    }

    /// Places `slab`, needing `chain` points for it and the slabs kept with it.
    fn place(&mut self, mut slab: Slab, chain: f32) {
        if self.fresh || chain <= self.room(slab.space_before) + FIT_TOLERANCE {
            return self.put_splitting(slab);
        }
        let splittable = slab.height > self.depth() / 3.0;
        if splittable {
            // A row begun at the foot of a page keeps more than its first line there (no
            // orphan: a material's name cut after its first line reads as two).
            let first = slab.cuts.first().copied();
            let cut = best_cut(&slab, self.room(slab.space_before)).filter(|&c| Some(c) != first);
            if let Some(cut) = cut {
                let (top, rest) = slab.split(cut);
                self.put(top);
                slab = rest;
            }
        }
        self.new_page();
        self.put_splitting(slab);
    }

    /// Puts `slab` on the current (fresh) page, cutting it over several pages if it is taller.
    fn put_splitting(&mut self, mut slab: Slab) {
        while slab.height > self.room(slab.space_before) + FIT_TOLERANCE {
            let Some(cut) = best_cut(&slab, self.room(slab.space_before)) else {
                break;
            };
            let (top, rest) = slab.split(cut);
            self.put(top);
            self.new_page();
            slab = rest;
        }
        self.put(slab);
    }

    fn put(&mut self, slab: Slab) {
        let space = if self.fresh { 0.0 } else { slab.space_before };
        let top = self.page().type_area.y.0 + self.cursor + space;
        let page = self.pages.len() - 1;
        let body = &mut self.pages[page].body;
        body.extend(slab.items.into_iter().map(|mut item| {
            shift(&mut item, 0.0, top);
            item
        }));
        self.cursor += space + slab.height;
        self.fresh = false;
    }

    fn new_page(&mut self) {
        let last = self.page();
        let page = Page {
            body: Vec::new(),
            furniture: Vec::new(),
            ..last.clone_geometry()
        };
        self.pages.push(page);
        self.cursor = 0.0;
        self.fresh = true;
        if let Some(header) = self.repeat_header.clone() {
            self.put(header);
            self.fresh = true;
        }
    }
}

impl Page {
    /// An empty page with this page's size and type area.
    pub fn clone_geometry(&self) -> Page {
        Page {
            width: self.width,
            height: self.height,
            type_area: self.type_area,
            body: Vec::new(),
            furniture: Vec::new(),
        }
    }
}

/// Height of slab `i` plus the slabs chained to it by `keep_with_next` (capped at a page, so
/// an impossible chain degrades to placing the slab alone).
fn chain_height(flow: &[Flow], i: usize, depth: f32) -> f32 {
    let mut total = 0.0;
    for (k, item) in flow[i..].iter().enumerate() {
        let slab = match item {
            Flow::Slab(s) | Flow::TableHeader(s) => s,
            Flow::TableEnd => continue,
            Flow::PageBreak => break,
        };
        total += slab.height + if k > 0 { slab.space_before } else { 0.0 };
        if !slab.keep_with_next {
            break;
        }
    }
    let own = match &flow[i] {
        Flow::Slab(s) | Flow::TableHeader(s) => s.height,
        _ => 0.0,
    };
    if total > depth {
        own
    } else {
        total
    }
}

/// The lowest cut of `slab` that fits in `room` (never at 0: a part must hold a line).
fn best_cut(slab: &Slab, room: f32) -> Option<f32> {
    let padding = slab.cut_rule.map_or(0.0, |r| r.padding);
    slab.cuts
        .iter()
        .copied()
        .rfind(|&c| c + padding <= room + FIT_TOLERANCE && c > padding)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slab(height: f32, cuts: Vec<f32>) -> Slab {
        Slab {
            height,
            cuts,
            ..Slab::default()
        }
    }

    /// Where the paginator stands after a slab leaving `room` points at the foot of the first
    /// page and a tall row with lines `line` points high.
    fn after_row(room: f32, line: f32) -> (usize, f32) {
        let style = Style::checklist();
        let depth = style.depth().0;
        let mut p = Paginator::new();
        p.start_document(&style);
        p.place_flow(&[Flow::Slab(slab(depth - room, Vec::new()))]);
        let height = 24.0 * line;
        let cuts = (1..24).map(|k| k as f32 * line).collect();
        p.place_flow(&[Flow::Slab(slab(height, cuts))]);
        (p.pages.len(), p.cursor)
    }

    #[test]
    fn a_tall_row_leaves_more_than_its_first_line_at_the_foot_of_a_page() {
        // Room for one line: the row starts on the next page, whole.
        assert_eq!(after_row(20.0, 15.0), (2, 24.0 * 15.0));
        // Room for two: two lines stay, the other 22 go on.
        assert_eq!(after_row(31.0, 15.0), (2, 22.0 * 15.0));
    }
}
