//! Turns a document whose style asks for one page per part (`Fit::OnePage`: a letter, then
//! its translation after a page break) into the flow of its parts, each set at the largest
//! body size — stepped down from the style's, never below its minimum — at which the part
//! takes one page. Offices expect a letter on one page; a signature alone on a second page
//! is what GB/T 9704 warns against.
//!
//! Cost: a part that fits at the style's size is laid out once; one that does not is laid
//! out again at the size its area suggests, then one step at a time towards the boundary
//! (typically two or three layouts more). Pages only shrink as the type does, so the first
//! size that fits, searched from either side, is the largest that fits.

use crate::document::Block;
use crate::fonts::FontBook;
use crate::units::Pt;

use super::blocks::{blocks_flow, Context, Frame};
use super::paginate::Paginator;
use super::slab::Flow;
use super::style::Style;
use super::LayoutError;

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
    // Search from where the text's area says it fits, then step to the boundary: the same
    // size a bisection finds, since pages only shrink with the type, in two or three
    // layouts instead of five.
    let mut index = estimated_index(&sizes, flow_height(&first), style).max(1);
    let mut flow = at(index)?;
    if pages(&flow, style) <= 1 {
        while index > 1 {
            let larger = at(index - 1)?;
            if pages(&larger, style) > 1 {
                break;
            }
            (index, flow) = (index - 1, larger);
        }
        Ok(flow)
    } else {
        while index < last_index {
            index += 1;
            flow = at(index)?;
            if pages(&flow, style) <= 1 {
                break;
            }
        }
        // Too long even at the minimum: it flows on, as small as allowed.
        Ok(flow)
    }
}

/// The first candidate size at which text `height` tall at the first size would fill no
/// more than the type area: lines get shorter and fewer as the type shrinks, so the height
/// goes with the square of the size.
fn estimated_index(sizes: &[Pt], height: f32, style: &Style) -> usize {
    let depth = style.scaled_to(sizes[0]).depth().0;
    let target = sizes[0].0 * (depth / height.max(1.0)).sqrt();
    sizes
        .iter()
        .position(|s| s.0 <= target + 1e-3)
        .unwrap_or(sizes.len() - 1)
}

/// The height `flow` stacks to when nothing is moved to a new page.
fn flow_height(flow: &[Flow]) -> f32 {
    flow.iter()
        .map(|f| match f {
            Flow::Slab(s) | Flow::TableHeader(s) => s.space_before + s.height,
            Flow::PageBreak | Flow::TableEnd => 0.0,
        })
        .sum()
}

/// Body sizes to try, largest first: the style's, then down by its fit step to the minimum.
/// A style already at or below its minimum has only its own size.
pub(crate) fn candidate_sizes(style: &Style) -> Vec<Pt> {
    let (top, min) = (style.body.size.0, style.min_body_size.0);
    // A step too small to matter would only multiply the layouts tried.
    let step = style.fit_step.0.max(0.05);
    let mut sizes = vec![Pt(top)];
    let mut k = 1;
    while top - step * k as f32 > min + 1e-3 {
        sizes.push(Pt(top - step * k as f32));
        k += 1;
    }
    if min < top {
        sizes.push(Pt(min));
    }
    sizes
}

/// The flow of `part` as it is, in `style` (also a whole document that is not fitted).
pub(crate) fn part_flow(
    part: &[Block],
    style: &Style,
    fonts: &FontBook,
) -> Result<Vec<Flow>, LayoutError> {
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
