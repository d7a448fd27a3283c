//! Turns a shaped paragraph into positioned lines: breaks it with [`LineBreaker`], places the
//! CJK–Latin gaps and the compressed punctuation, justifies CJK lines by inter-character
//! spacing (`char_spacing`, never by inserting spaces), and merges neighbouring characters of
//! one face, size, colour and spacing into one [`GlyphRun`]. A code broken across lines is
//! marked on its runs ([`GlyphRun::actual_text`]) so that it is read and copied whole. Check
//! boxes are drawn as vector paths.

use crate::document::{Align, CheckState};
use std::ops::Range;

use crate::units::{Point, Pt, Rect};

use super::classes::{is_wide, OBJECT};
use super::linebreak::{Line, LineBreaker};
use super::page::{GlyphRun, Item, PathShape, RectShape, Stroke};
use super::text::{Glyph, Shaped};

/// Two runs meet without a positional gap when their edges are this close (pt).
const TOUCHING: f32 = 0.01;

/// Where and how a paragraph's lines are set.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LineSetting {
    pub x: f32,
    pub width: f32,
    pub align: Align,
    /// Indent of the first line.
    pub indent: f32,
}

/// One line: its items use page x and y relative to the line's top.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LaidLine {
    pub height: f32,
    pub baseline: f32,
    pub items: Vec<Item>,
}

/// Breaks and sets `shaped`; an empty paragraph gives one empty line.
pub(crate) fn set_lines(shaped: &Shaped, setting: LineSetting) -> Vec<LaidLine> {
    let breaker = shaped.breaker();
    let (first, rest) = (setting.width - setting.indent, setting.width);
    let lines = match setting.align {
        Align::Justify => breaker.lines(first, rest),
        Align::Left | Align::Center | Align::Right => breaker.ragged_lines(first, rest),
    };
    lines
        .iter()
        .enumerate()
        .map(|(i, line)| set_line(&breaker, &shaped.glyphs, line, setting, i == 0))
        .collect()
}

/// The units a line break splits at either end of `line`: its characters are read through
/// the unit's first character.
fn split_units(breaker: &LineBreaker, line: &Line) -> [Option<Range<usize>>; 2] {
    [
        breaker.split_unit(line.chars.start),
        breaker.split_unit(line.chars.end),
    ]
}

/// What character `j` is read as when it belongs to a split unit: the whole unit for its
/// first character, nothing for the others; `None` outside split units.
fn read_as(breaker: &LineBreaker, units: &[Option<Range<usize>>; 2], j: usize) -> Option<Reading> {
    let unit = units.iter().flatten().find(|u| u.contains(&j))?;
    Some(Reading {
        unit_start: unit.start,
        text: if j == unit.start {
            breaker.unit_text(unit.clone())
        } else {
            String::new()
        },
    })
}

/// The unit a glyph belongs to and what the run it starts is read as.
struct Reading {
    unit_start: usize,
    text: String,
}

fn set_line(
    breaker: &LineBreaker,
    glyphs: &[Glyph],
    line: &Line,
    setting: LineSetting,
    first: bool,
) -> LaidLine {
    let (height, baseline) = vertical_metrics(glyphs, line);
    let indent = if first { setting.indent } else { 0.0 };
    let room = setting.width - indent;
    let slack = (room - line.width).max(0.0);
    let (offset, spacing) = match setting.align {
        Align::Center => (slack / 2.0, 0.0),
        Align::Right => (slack, 0.0),
        Align::Left => (0.0, 0.0),
        Align::Justify if line.hard_end => (0.0, 0.0),
        Align::Justify => (0.0, justification_spacing(breaker, line, slack)),
    };
    let mut runs = RunBuilder::default();
    let units = split_units(breaker, line);
    let mut x = setting.x + indent + offset;
    for j in line.visible.clone() {
        if j > line.visible.start {
            x += breaker.gap_before(j);
        }
        let extra = if spacing > 0.0 && breaker.expandable(j, line.visible.end) {
            spacing
        } else {
            0.0
        };
        let glyph = &glyphs[j];
        let place = breaker.placement(line, j);
        let at = x - place.shift_left;
        match (breaker.char_at(j), glyph.check) {
            (OBJECT, Some(state)) => runs.checkbox(state, at, baseline, glyph),
            ('\n', _) => {}
            (ch, _) => {
                let pen = Pen {
                    x: at,
                    baseline,
                    extra,
                    advance: place.advance,
                    last: j + 1 == line.visible.end,
                };
                runs.push(ch, pen, glyph, read_as(breaker, &units, j))
            }
        }
        x += place.advance + extra;
    }
    LaidLine {
        height,
        baseline,
        items: runs.finish(),
    }
}

/// Line height (the largest pitch, at least the glyphs' extent) and baseline from the top.
fn vertical_metrics(glyphs: &[Glyph], line: &Line) -> (f32, f32) {
    let range = if line.chars.is_empty() {
        line.chars.start..line.chars.start + 1
    } else {
        line.chars.clone()
    };
    let in_line = glyphs.get(range).unwrap_or(&[]);
    let pitch = in_line.iter().map(|g| g.pitch).fold(0.0, f32::max);
    let ascent = in_line.iter().map(|g| g.ascent).fold(0.0, f32::max);
    let descent = in_line.iter().map(|g| g.descent).fold(0.0, f32::max);
    let height = pitch.max(ascent + descent);
    (height, (height - ascent - descent) / 2.0 + ascent)
}

/// The extra space after each expandable character that makes the line fill its measure;
/// zero for lines without CJK (English is set ragged-right).
fn justification_spacing(breaker: &LineBreaker, line: &Line, slack: f32) -> f32 {
    if !line.visible.clone().any(|j| is_wide(breaker.char_at(j))) {
        return 0.0;
    }
    let count = line
        .visible
        .clone()
        .filter(|&j| breaker.expandable(j, line.visible.end))
        .count();
    if count == 0 {
        0.0
    } else {
        slack / count as f32
    }
}

/// Where a glyph goes: its origin, the space after it, how far the line moves on after it
/// (its advance less compressed blanks), and whether it ends its line.
#[derive(Clone, Copy)]
struct Pen {
    x: f32,
    baseline: f32,
    extra: f32,
    advance: f32,
    last: bool,
}

impl Pen {
    /// What the glyph adds to its run's width: the font's advance and the spacing after it,
    /// where the PDF draws the next glyph of the run; only the line's last glyph, which has
    /// no next one, counts as far as the line goes (a compressed closing mark half an em).
    fn run_width(&self, glyph: &Glyph) -> f32 {
        if self.last {
            self.advance
        } else {
            glyph.advance + self.extra
        }
    }
}

/// Collects glyphs into runs, starting a new run wherever face, size, colour or spacing
/// change or a positional gap separates two glyphs.
#[derive(Default)]
struct RunBuilder {
    items: Vec<Item>,
    current: Option<GlyphRun>,
    /// The split unit the current run's glyphs belong to.
    current_unit: Option<usize>,
}

impl RunBuilder {
    /// Adds `ch` where `pen` says. The last glyph of a line is followed by nothing, so it
    /// joins the run whatever the run's spacing: a justified line is then one run, not a run
    /// and a lone last character (a third of the text operators in a letter). A glyph of a
    /// split unit joins only a run of the same unit.
    fn push(&mut self, ch: char, pen: Pen, glyph: &Glyph, reading: Option<Reading>) {
        let unit = reading.as_ref().map(|r| r.unit_start);
        if let Some(run) = &mut self.current {
            let continues = run.face == glyph.face
                && run.size.0 == glyph.size
                && run.color == glyph.color
                && (run.char_spacing.0 == pen.extra || pen.last)
                && self.current_unit == unit
                && (run.origin.x.0 + run.width.0 - pen.x).abs() < TOUCHING;
            if continues {
                run.text.push(ch);
                run.width += Pt(pen.run_width(glyph));
                return;
            }
        }
        self.flush();
        self.current_unit = unit;
        self.current = Some(GlyphRun {
            origin: Point {
                x: Pt(pen.x),
                y: Pt(pen.baseline),
            },
            face: glyph.face,
            size: Pt(glyph.size),
            color: glyph.color,
            char_spacing: Pt(pen.extra),
            width: Pt(pen.run_width(glyph)),
            ascent: Pt(glyph.ascent),
            descent: Pt(glyph.descent),
            text: ch.to_string(),
            actual_text: reading.map(|r| r.text),
        });
    }

    fn checkbox(&mut self, state: CheckState, x: f32, baseline: f32, glyph: &Glyph) {
        self.flush();
        self.items
            .extend(checkbox_items(state, x, baseline, glyph.size, glyph.color));
    }

    fn flush(&mut self) {
        if let Some(run) = self.current.take() {
            self.items.push(Item::Text(run));
        }
    }

    fn finish(mut self) -> Vec<Item> {
        self.flush();
        self.items
    }
}

/// A 0.8-em square centred on the ideographic em box (which sits 0.12 em below the
/// baseline in CJK fonts), with a tick or a diagonal by state.
fn checkbox_items(
    state: CheckState,
    x: f32,
    baseline: f32,
    size: f32,
    color: crate::units::Rgb,
) -> Vec<Item> {
    let side = 0.8 * size;
    let (left, top) = (x + 0.1 * size, baseline - 0.78 * size);
    let stroke = Stroke {
        width: Pt((0.05 * size).max(0.5)),
        color,
    };
    let at = |fx: f32, fy: f32| Point {
        x: Pt(left + fx * side),
        y: Pt(top + fy * side),
    };
    let square = Rect {
        x: Pt(left),
        y: Pt(top),
        width: Pt(side),
        height: Pt(side),
    };
    let mut items = vec![Item::Rect(RectShape {
        rect: square,
        stroke: Some(stroke),
        fill: None,
    })];
    let mark = match state {
        CheckState::Ready => Some(vec![at(0.2, 0.5), at(0.42, 0.74), at(0.8, 0.24)]),
        CheckState::NotApplicable => Some(vec![at(0.0, 1.0), at(1.0, 0.0)]),
        CheckState::Missing | CheckState::Open => None,
    };
    if let Some(points) = mark {
        items.push(Item::Path(PathShape {
            points,
            closed: false,
            stroke,
        }));
    }
    items
}

#[cfg(test)]
mod tests;
