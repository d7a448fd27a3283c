//! Turns a document whose style asks for one page per part (`Fit::OnePage`: a letter, then
//! its translation after a page break) into the flow of its parts, each set at the largest
//! body size — stepped down from the style's, never below its minimum — at which the part
//! takes one page. Offices expect a letter on one page; a signature alone on a second page
//! is what GB/T 9704 warns against.
//!
//! Cost: a part that fits at the style's size is laid out once; one that does not is laid
//! out at the minimum, then by bisection over the steps between (at most 4 more for the
//! nine steps from 三号 to 小四). Pages only shrink as the type does, so bisection finds the
//! largest size that fits.

use crate::document::Block;
use crate::fonts::FontBook;
use crate::units::Pt;

use super::blocks::{blocks_flow, Context, Frame};
use super::paginate::Paginator;
use super::slab::Flow;
use super::style::Style;
use super::LayoutError;

/// Step between the body sizes tried (pt): small enough that a letter a line too long
/// shrinks barely visibly.
const STEP: f32 = 0.5;

/// Appends the flow of `blocks`, a page break between parts, each part fitted to one page.
pub(crate) fn one_page_flow(
    blocks: &[Block],
    style: &Style,
    fonts: &FontBook,
    out: &mut Vec<Flow>,
) -> Result<(), LayoutError> {
    for (i, part) in blocks.split(|b| matches!(b, Block::PageBreak)).enumerate() {
        if i > 0 {
            out.push(Flow::PageBreak);
        }
        out.extend(fitted_part(part, style, fonts)?);
    }
    Ok(())
}

/// The flow of `part` at the largest candidate size that fits one page, else at the minimum.
fn fitted_part(part: &[Block], style: &Style, fonts: &FontBook) -> Result<Vec<Flow>, LayoutError> {
    let sizes = candidate_sizes(style);
    let at = |i: usize| part_flow(part, &style.scaled_to(sizes[i]), fonts);
    let first = at(0)?;
    let last_index = sizes.len() - 1;
    if last_index == 0 || pages(&first, style) <= 1 {
        return Ok(first);
    }
    let mut best = at(last_index)?;
    if pages(&best, style) > 1 {
        // Too long even at the minimum: it flows on, as small as allowed.
        return Ok(best);
    }
    // Invariant: `sizes[misses]` takes more than a page, `sizes[fits]` one.
    let (mut misses, mut fits) = (0, last_index);
    while fits - misses > 1 {
        let mid = (misses + fits) / 2;
        let flow = at(mid)?;
        if pages(&flow, style) <= 1 {
            (fits, best) = (mid, flow);
        } else {
            misses = mid;
        }
    }
    Ok(best)
}

/// Body sizes to try, largest first: the style's, then down by `STEP` to the minimum.
/// A style already at or below its minimum has only its own size.
pub(crate) fn candidate_sizes(style: &Style) -> Vec<Pt> {
    let (top, min) = (style.body.size.0, style.min_body_size.0);
    let mut sizes = vec![Pt(top)];
    let mut k = 1;
    while top - STEP * k as f32 > min + 1e-3 {
        sizes.push(Pt(top - STEP * k as f32));
        k += 1;
    }
    if min < top {
        sizes.push(Pt(min));
    }
    sizes
}

fn part_flow(part: &[Block], style: &Style, fonts: &FontBook) -> Result<Vec<Flow>, LayoutError> {
    let cx = Context { style, fonts };
    let frame = Frame {
        x: style.margin_left.0,
        width: style.measure().0,
        indent_paragraphs: true,
    };
    let mut flow = Vec::new();
    blocks_flow(part, frame, &cx, &mut flow)?;
    Ok(flow)
}

/// How many pages `flow` takes on pages of `style`.
fn pages(flow: &[Flow], style: &Style) -> usize {
    let mut paginator = Paginator::new();
    paginator.start_document(style);
    paginator.place_flow(flow);
    paginator.finish().len()
}

#[cfg(test)]
mod tests;
