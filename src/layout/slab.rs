//! Turns laid-out lines, rows and blocks into [`Slab`]s: horizontal strips of items that the
//! paginator stacks, moves to the next page whole, or cuts between lines (tall table rows).

use crate::units::{Point, Pt};

use super::page::{Item, LineSegment, Stroke};
use super::paragraph::LaidLine;

/// A strip of the flow: items with page x and y relative to the strip's top.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Slab {
    pub height: f32,
    pub items: Vec<Item>,
    /// Space above the strip, dropped at the top of a page.
    pub space_before: f32,
    /// Do not end a page after this strip (headings, first line of a paragraph).
    pub keep_with_next: bool,
    /// Baseline of the first text line, to align list markers.
    pub first_baseline: Option<f32>,
    /// Heights at which the strip may be cut without cutting a line of text.
    pub cuts: Vec<f32>,
    /// Rule drawn across a cut (a table row's border): left x, right x, stroke, padding kept
    /// on each side of the cut.
    pub cut_rule: Option<CutRule>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct CutRule {
    pub left: f32,
    pub right: f32,
    pub stroke: Stroke,
    pub padding: f32,
}

/// What the paginator consumes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Flow {
    Slab(Slab),
    PageBreak,
    /// A table's header row: placed like a slab, then repeated on each page the table reaches.
    TableHeader(Slab),
    TableEnd,
}

impl Slab {
    pub fn from_line(line: LaidLine) -> Slab {
        Slab {
            height: line.height,
            first_baseline: Some(line.baseline),
            items: line.items,
            ..Slab::default()
        }
    }

    /// Splits at `cut` (one of `cuts`): the part above keeps `padding` below the cut, the part
    /// below starts `padding` above its first line; both get the border rule.
    pub fn split(&self, cut: f32) -> (Slab, Slab) {
        let padding = self.cut_rule.map_or(0.0, |r| r.padding);
        let (top_end, bottom_start) = (cut + padding, cut - padding);
        let mut top = Slab {
            height: top_end,
            ..self.part()
        };
        let mut bottom = Slab {
            height: self.height - bottom_start,
            ..self.part()
        };
        for item in &self.items {
            if let Some(part) = clip(item, 0.0, top_end, cut) {
                top.items.push(part);
            }
            if let Some(mut part) = clip(item, bottom_start, self.height, cut) {
                shift(&mut part, 0.0, -bottom_start);
                bottom.items.push(part);
            }
        }
        bottom.cuts = self
            .cuts
            .iter()
            .filter(|&&c| c > cut)
            .map(|c| c - bottom_start)
            .collect();
        if let Some(rule) = self.cut_rule {
            top.items.push(rule.at(top_end));
            bottom.items.push(rule.at(0.0));
        }
        (top, bottom)
    }

    fn part(&self) -> Slab {
        Slab {
            cut_rule: self.cut_rule,
            ..Slab::default()
        }
    }
}

impl CutRule {
    fn at(&self, y: f32) -> Item {
        Item::Line(LineSegment {
            from: Point {
                x: Pt(self.left),
                y: Pt(y),
            },
            to: Point {
                x: Pt(self.right),
                y: Pt(y),
            },
            stroke: self.stroke,
        })
    }
}

/// The part of `item` inside `lo..hi`: text and marks go wholly to the side of `cut` their
/// centre is on; vertical rules and fills are clipped.
fn clip(item: &Item, lo: f32, hi: f32, cut: f32) -> Option<Item> {
    let above = |centre: f32| centre < cut;
    let wanted_above = lo == 0.0;
    match item {
        Item::Text(run) => {
            let b = run.bounds();
            (above(b.y.0 + b.height.0 / 2.0) == wanted_above).then(|| item.clone())
        }
        Item::Image(img) => {
            (above(img.rect.y.0 + img.rect.height.0 / 2.0) == wanted_above).then(|| item.clone())
        }
        Item::Form(form) => {
            (above(form.rect.y.0 + form.rect.height.0 / 2.0) == wanted_above).then(|| item.clone())
        }
        Item::Circle(c) => (above(c.center.y.0) == wanted_above).then(|| item.clone()),
        Item::Path(path) => {
            let y = path.points.first().map_or(0.0, |p| p.y.0);
            (above(y) == wanted_above).then(|| item.clone())
        }
        Item::Line(line) => clip_line(line, lo, hi).map(Item::Line),
        Item::Rect(shape) => {
            let (y0, y1) = (shape.rect.y.0.max(lo), shape.rect.bottom().0.min(hi));
            (y1 > y0).then(|| {
                let mut clipped = *shape;
                clipped.rect.y = Pt(y0);
                clipped.rect.height = Pt(y1 - y0);
                Item::Rect(clipped)
            })
        }
    }
}

fn clip_line(line: &LineSegment, lo: f32, hi: f32) -> Option<LineSegment> {
    let (y0, y1) = (
        line.from.y.0.min(line.to.y.0),
        line.from.y.0.max(line.to.y.0),
    );
    if y0 == y1 {
        // Horizontal: kept by the side it lies on (a rule exactly at a cut goes above).
        return (y0 >= lo && y0 <= hi && !(lo > 0.0 && y0 == lo)).then_some(*line);
    }
    let (from_y, to_y) = (y0.max(lo), y1.min(hi));
    (to_y > from_y).then_some(LineSegment {
        from: Point {
            x: line.from.x,
            y: Pt(from_y),
        },
        to: Point {
            x: line.to.x,
            y: Pt(to_y),
        },
        stroke: line.stroke,
    })
}

/// Moves an item by (`dx`, `dy`).
pub(crate) fn shift(item: &mut Item, dx: f32, dy: f32) {
    let (dx, dy) = (Pt(dx), Pt(dy));
    let move_point = |p: &mut Point| {
        p.x += dx;
        p.y += dy;
    };
    match item {
        Item::Text(run) => move_point(&mut run.origin),
        Item::Line(line) => {
            move_point(&mut line.from);
            move_point(&mut line.to);
        }
        Item::Rect(shape) => {
            shape.rect.x += dx;
            shape.rect.y += dy;
        }
        Item::Path(path) => path.points.iter_mut().for_each(move_point),
        Item::Circle(circle) => move_point(&mut circle.center),
        Item::Image(img) => {
            img.rect.x += dx;
            img.rect.y += dy;
        }
        Item::Form(form) => {
            form.rect.x += dx;
            form.rect.y += dy;
        }
    }
}
