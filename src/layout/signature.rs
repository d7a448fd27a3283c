//! Turns a letter's signature paragraphs into one unsplittable slab at the right of the type
//! area, with a clear place for the company seal (`typography.md` §4): the seal is pressed
//! beside and over the name and date, so no text may fall inside its square. The place is
//! marked with a light outlined circle of the seal's size (unless the style turns that off,
//! for letterhead paper), and a line ending in a colon ("法定代表人（签字）：") gets a rule to
//! sign on.

use crate::document::{Align, Paragraph};
use crate::units::{Point, Pt, Rect, Rgb};

use super::blocks::{Context, Frame};
use super::memo::{set_lines, shape};
use super::page::{CircleShape, Item, LineSegment, Stroke};
use super::paragraph::{LaidLine, LineSetting};
use super::slab::{shift, Slab};
use super::text::Shaped;
use super::LayoutError;

/// Length of the rule to sign on, in body em: room for a name written by hand.
const SIGN_RULE_EM: f32 = 6.0;
/// Gap between a label and its rule, in body em.
const SIGN_RULE_GAP_EM: f32 = 0.25;
/// Gap between the seal's place and the text beside or below it, in body em.
const SEAL_GAP_EM: f32 = 0.5;
/// The seal placeholder's outline: thin and light, so that a seal pressed over it hides it.
const PLACEHOLDER_STROKE: Stroke = Stroke {
    width: Pt(0.5),
    color: Rgb::LIGHT_GREY,
};

/// The slab and the seal square (relative to the slab's top; empty for a translation).
pub(crate) fn signature_slab(
    paragraphs: &[Paragraph],
    frame: Frame,
    cx: &Context,
) -> Result<(Slab, Rect), LayoutError> {
    let shaped = paragraphs
        .iter()
        .map(|p| shape(&p.inlines, cx.body_styles(), cx.fonts))
        .collect::<Result<Vec<_>, _>>()?;
    // A translation's signature lines are for reference: nothing is signed or sealed on
    // them (the Chinese letter is), so they keep no seal square and no rule to sign on.
    let signed = !is_translation(paragraphs);
    let seal = if signed { cx.style.seal_size.0 } else { 0.0 };
    let em = cx.style.body.size.0;
    let rule = (SIGN_RULE_EM + SIGN_RULE_GAP_EM) * em;
    let inset = cx.style.signature_inset * em;
    let widths = shaped.iter().map(|s| {
        let sign_here = signed && to_sign(s);
        (
            natural_width(s) + if sign_here { rule } else { 0.0 },
            sign_here,
        )
    });
    let full = frame.width - inset;
    let block_width = block_width(widths, full, full - seal - SEAL_GAP_EM * em);
    let block = Frame {
        x: frame.x + frame.width - inset - block_width,
        width: block_width,
        indent_paragraphs: false,
    };
    let lines = paragraphs
        .iter()
        .zip(&shaped)
        .map(|(p, s)| {
            let setting = LineSetting {
                x: block.x,
                width: block.width,
                align: p.align.unwrap_or(Align::Left),
                indent: 0.0,
            };
            (set_lines(s, setting), signed && to_sign(s))
        })
        .collect::<Vec<_>>();
    let text_height: f32 = lines.iter().flat_map(|(l, _)| l).map(|l| l.height).sum();
    let (seal_rect, text_top) = place_seal(seal, text_height, SEAL_GAP_EM * em, frame, block);
    let mut slab = Slab {
        space_before: cx.style.signature_space_before.0,
        ..Slab::default()
    };
    let mut y = text_top;
    for (paragraph_lines, sign_here) in lines {
        let last = paragraph_lines.len().saturating_sub(1);
        for (i, line) in paragraph_lines.into_iter().enumerate() {
            let rule = (sign_here && i == last).then(|| sign_rule(&line, block, em));
            slab.items
                .extend(line.items.into_iter().chain(rule).map(|mut item| {
                    shift(&mut item, 0.0, y);
                    item
                }));
            y += line.height;
        }
    }
    slab.height = y.max(seal_rect.bottom().0);
    if seal > 0.0 && cx.style.seal_placeholder {
        slab.items.push(placeholder(seal_rect));
    }
    Ok((slab, seal_rect))
}

/// The width of the block, from each paragraph's natural width and whether it is a line to
/// sign: its natural width when that leaves room for the seal beside it (`beside` is that
/// room); else, when the lines to sign still fit there, `beside`, so that a long company
/// name wraps beside the seal instead of pushing the seal above the block (a slab that much
/// taller would push a letter onto a second page); else the natural width (seal above).
fn block_width(widths: impl Iterator<Item = (f32, bool)>, full: f32, beside: f32) -> f32 {
    let (natural, to_sign) = widths.fold((0.0_f32, 0.0_f32), |(n, t), (w, sign)| {
        (n.max(w), if sign { t.max(w) } else { t })
    });
    let natural = natural.min(full);
    if natural <= beside || to_sign > beside || beside <= 0.0 {
        natural
    } else {
        beside
    }
}

/// The seal square and the top of the text: beside the block, level with its middle, when
/// there is room to its left; else above it, at the right; `gap` apart. Empty for a `seal`
/// of 0.
fn place_seal(seal: f32, text_height: f32, gap: f32, frame: Frame, block: Frame) -> (Rect, f32) {
    let square = |x: f32, y: f32| Rect {
        x: Pt(x),
        y: Pt(y),
        width: Pt(seal),
        height: Pt(seal),
    };
    if seal == 0.0 {
        return (square(block.x, 0.0), 0.0);
    }
    if block.x - frame.x >= seal + gap - 0.01 {
        // The taller of the two sets the slab; the other is centred on it.
        let (seal_top, text_top) = if seal > text_height {
            (0.0, (seal - text_height) / 2.0)
        } else {
            ((text_height - seal) / 2.0, 0.0)
        };
        (square(block.x - gap - seal, seal_top), text_top)
    } else {
        (square(block.x + block.width - seal, 0.0), seal + gap)
    }
}

/// The light outlined circle inscribed in the seal square.
fn placeholder(square: Rect) -> Item {
    let radius = square.width / 2.0;
    Item::Circle(CircleShape {
        center: Point {
            x: square.x + radius,
            y: square.y + radius,
        },
        radius,
        stroke: PLACEHOLDER_STROKE,
    })
}

/// The rule after the label on `line`, to the block's right edge, just below the baseline.
fn sign_rule(line: &LaidLine, block: Frame, em: f32) -> Item {
    let text_right = line
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Text(run) => Some(run.bounds().right().0),
            _ => None,
        })
        .fold(block.x, f32::max);
    let y = Pt(line.baseline + 0.15 * em);
    Item::Line(LineSegment {
        from: Point {
            x: Pt(text_right + SIGN_RULE_GAP_EM * em),
            y,
        },
        to: Point {
            x: Pt(block.x + block.width),
            y,
        },
        stroke: Stroke {
            width: Pt(0.5),
            color: Rgb::BLACK,
        },
    })
}

/// Whether a signature line is a blank to fill by hand: it ends with a colon.
fn to_sign(shaped: &Shaped) -> bool {
    shaped.text.trim_end().ends_with(['：', ':'])
}

/// Whether every piece of text in `paragraphs` is secondary (English translation) text.
fn is_translation(paragraphs: &[Paragraph]) -> bool {
    super::blocks::all_secondary(paragraphs.iter().flat_map(|p| &p.inlines))
}

fn natural_width(shaped: &Shaped) -> f32 {
    shaped.breaker().max_width()
}

#[cfg(test)]
mod tests;
