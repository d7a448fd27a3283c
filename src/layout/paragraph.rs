//! Turns a shaped paragraph into positioned lines: breaks it with [`LineBreaker`], places the
//! CJK–Latin gaps, justifies CJK lines by inter-character spacing (`char_spacing`, never by
//! inserting spaces), and merges neighbouring characters of one face, size, colour and spacing
//! into one [`GlyphRun`]. Check boxes are drawn as vector paths.

use crate::document::{Align, CheckState};
use crate::units::{Point, Pt, Rect};

use super::classes::{is_paired_mark, is_wide, no_start, OBJECT};
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
    let lines = breaker.lines(|i| {
        if i == 0 {
            setting.width - setting.indent
        } else {
            setting.width
        }
    });
    lines
        .iter()
        .enumerate()
        .map(|(i, line)| set_line(&breaker, &shaped.glyphs, line, setting, i == 0))
        .collect()
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
    let mut x = setting.x + indent + offset;
    for j in line.visible.clone() {
        if j > line.visible.start {
            x += breaker.gap_before(j);
        }
        let extra = if spacing > 0.0 && expandable(breaker, line, j) {
            spacing
        } else {
            0.0
        };
        let glyph = &glyphs[j];
        match (breaker.char_at(j), glyph.check) {
            (OBJECT, Some(state)) => runs.checkbox(state, x, baseline, glyph),
            ('\n', _) => {}
            (ch, _) => {
                let last = j + 1 == line.visible.end;
                runs.push(ch, x, baseline, glyph, extra, last)
            }
        }
        x += glyph.advance + extra;
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
        .filter(|&j| expandable(breaker, line, j))
        .count();
    if count == 0 {
        0.0
    } else {
        slack / count as f32
    }
}

/// Space may follow a CJK character or a space, or precede a CJK character other than a
/// closing mark (which hugs the Latin text before it) — never inside a Latin word, inside
/// `——`/`……`, or after the line's last character.
fn expandable(breaker: &LineBreaker, line: &Line, j: usize) -> bool {
    if j + 1 >= line.visible.end {
        return false;
    }
    let (ch, next) = (breaker.char_at(j), breaker.char_at(j + 1));
    if is_paired_mark(ch) && ch == next {
        return false;
    }
    is_wide(ch) || ch == ' ' || (is_wide(next) && !no_start(next))
}

/// Collects glyphs into runs, starting a new run wherever face, size, colour or spacing
/// change or a positional gap separates two glyphs.
#[derive(Default)]
struct RunBuilder {
    items: Vec<Item>,
    current: Option<GlyphRun>,
}

impl RunBuilder {
    /// Adds `ch` at `x`, followed by `extra` space. The last glyph of a line is followed by
    /// nothing, so it joins the run whatever the run's spacing: a justified line is then one
    /// run, not a run and a lone last character (a third of the text operators in a letter).
    fn push(&mut self, ch: char, x: f32, baseline: f32, glyph: &Glyph, extra: f32, last: bool) {
        if let Some(run) = &mut self.current {
            let continues = run.face == glyph.face
                && run.size.0 == glyph.size
                && run.color == glyph.color
                && (run.char_spacing.0 == extra || last)
                && (run.origin.x.0 + run.width.0 - x).abs() < TOUCHING;
            if continues {
                run.text.push(ch);
                run.width += Pt(glyph.advance + if last { 0.0 } else { extra });
                return;
            }
        }
        self.flush();
        self.current = Some(GlyphRun {
            origin: Point {
                x: Pt(x),
                y: Pt(baseline),
            },
            face: glyph.face,
            size: Pt(glyph.size),
            color: glyph.color,
            char_spacing: Pt(extra),
            width: Pt(glyph.advance + extra),
            ascent: Pt(glyph.ascent),
            descent: Pt(glyph.descent),
            text: ch.to_string(),
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
