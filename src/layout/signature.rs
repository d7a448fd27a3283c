//! Turns a letter's signature paragraphs into one unsplittable slab at the right of the type
//! area, with a clear square for the company seal (`typography.md` §4): the seal is pressed
//! beside and over the name and date, so no text may fall inside that square.

use crate::document::{Align, Paragraph};
use crate::units::{Pt, Rect};

use super::blocks::{Context, Frame};
use super::paragraph::{set_lines, LineSetting};
use super::slab::{shift, Slab};
use super::text::{shape, Shaped};
use super::LayoutError;

/// The slab and the seal square (relative to the slab's top).
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
    // them (the Chinese letter is), so they keep no seal square.
    let seal = if is_translation(paragraphs) {
        0.0
    } else {
        cx.style.seal_size.0
    };
    let inset = cx.style.signature_inset * cx.style.body.size.0;
    let block_width = shaped
        .iter()
        .map(natural_width)
        .fold(0.0, f32::max)
        .min(frame.width - inset);
    let right = frame.x + frame.width - inset;
    let block_x = right - block_width;
    // Beside the block when there is room to its left, else above it.
    let (seal_rect, text_top) = if block_x - frame.x >= seal {
        (
            Rect {
                x: Pt(block_x - seal),
                y: Pt::ZERO,
                width: Pt(seal),
                height: Pt(seal),
            },
            0.0,
        )
    } else {
        (
            Rect {
                x: Pt(right - seal),
                y: Pt::ZERO,
                width: Pt(seal),
                height: Pt(seal),
            },
            seal,
        )
    };
    let mut slab = Slab {
        space_before: cx.style.signature_space_before.0,
        ..Slab::default()
    };
    let mut y = text_top;
    for (p, s) in paragraphs.iter().zip(&shaped) {
        let setting = LineSetting {
            x: block_x,
            width: block_width,
            align: p.align.unwrap_or(Align::Left),
            indent: 0.0,
        };
        for line in set_lines(s, setting) {
            slab.items.extend(line.items.into_iter().map(|mut item| {
                shift(&mut item, 0.0, y);
                item
            }));
            y += line.height;
        }
    }
    slab.height = y.max(seal);
    Ok((slab, seal_rect))
}

/// Whether every piece of text in `paragraphs` is secondary (English translation) text.
fn is_translation(paragraphs: &[Paragraph]) -> bool {
    super::blocks::all_secondary(paragraphs.iter().flat_map(|p| &p.inlines))
}

fn natural_width(shaped: &Shaped) -> f32 {
    shaped.breaker().max_width()
}
