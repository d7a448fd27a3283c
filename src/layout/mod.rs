//! Turns a [`Packet`] of documents into positioned pages: per-character face resolution and
//! metrics, CJK/Latin line breaking, paragraphs, lists, tables, pagination, running header and
//! footer. Hand-written because no crate does Chinese line breaking, inter-character
//! justification and GB/T 9704-style pages together (see `typography.md`).
//!
//! Stages: `text` (spans → measured glyphs) → `linebreak` (glyphs → lines) → `paragraph`
//! (lines → positioned runs; `memo` remembers both per thread) → `blocks`/`table`/`signature`
//! (blocks → slabs), `fit` (one page per letter: sizes stepped down until a part fits) →
//! `paginate` (slabs → pages) → `furniture` (header and page numbers, once the page count
//! is known).
//!
//! Cost: linear in the number of characters and blocks. Each paragraph is measured and broken
//! once per thread and line setting (`memo`): a letter part too long for its page is set
//! again at smaller sizes (see `fit`), and a batch's clients share most of their wording;
//! line fitting uses prefix sums (a line's width is O(1)); the paginator places each slab
//! once and looks ahead only over short keep-with-next chains. The only super-linear step is
//! finding clean cut points in one table row, quadratic in that row's line count.

mod blocks;
mod classes;
mod fit;
mod furniture;
pub mod linebreak;
mod memo;
mod page;
mod paginate;
mod paragraph;
mod signature;
mod slab;
pub mod style;
mod table;
mod text;

pub use furniture::page_label;
pub use linebreak::{Line, LineBreaker};
pub use page::{
    CircleShape, FormItem, GlyphRun, ImageItem, Item, LaidOutPacket, LineSegment, OutlineEntry,
    Page, PathShape, PdfPageRef, RectShape, Stroke,
};
pub use style::{Fit, Language, Style};

use crate::document::{DocumentKind, Packet};
use crate::fonts::FontBook;

use paginate::Paginator;

/// Why a packet could not be laid out.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LayoutError {
    /// A character that no configured font covers; `context` is the text around it.
    #[error("no font has a glyph for {ch:?} (U+{code:04X}) in \"{context}\"", code = *ch as u32)]
    UncoveredChar { ch: char, context: String },
}

/// Lays out every document of `packet`, each starting on a new page, in the built-in style
/// of its kind and the packet's language.
pub fn layout(packet: &Packet, fonts: &FontBook) -> Result<LaidOutPacket, LayoutError> {
    let language = Language::of_packet(&packet.meta.lang);
    layout_with(packet, fonts, &|kind| Style::for_document(kind, language))
}

/// Lays out `packet` with the style `style_for` gives each document kind.
///
/// Documents are set side by side (each starts on a new page, so none depends on another's
/// lines; a single `generate` waits for all of them), then paginated in order.
pub fn layout_with(
    packet: &Packet,
    fonts: &FontBook,
    style_for: &(dyn Fn(DocumentKind) -> Style + Sync),
) -> Result<LaidOutPacket, LayoutError> {
    use rayon::prelude::*;
    let flows = packet
        .documents
        .par_iter()
        .map(|document| {
            let style = style_for(document.kind);
            let flow = document_flow(document, &style, fonts)?;
            Ok((style, flow))
        })
        .collect::<Result<Vec<_>, LayoutError>>()?;
    let mut paginator = Paginator::new();
    let mut outline = Vec::with_capacity(packet.documents.len());
    let mut page_styles: Vec<(usize, Style)> = Vec::new();
    for (document, (style, flow)) in packet.documents.iter().zip(flows) {
        let first_page = paginator.start_document(&style);
        paginator.place_flow(&flow);
        outline.push(OutlineEntry {
            title: document.title.clone(),
            page: first_page,
        });
        page_styles.push((first_page, style));
    }
    let mut pages = paginator.finish();
    let total = pages.len();
    for (index, page) in pages.iter_mut().enumerate() {
        // Documents start in page order, so the last one starting at or before `index` owns it.
        let Some((_, style)) = page_styles.iter().rev().find(|(start, _)| *start <= index) else {
            continue;
        };
        furniture::add_furniture(page, style, &packet.meta, (index + 1, total), fonts)?;
    }
    Ok(LaidOutPacket { pages, outline })
}

/// One document's slabs, in its style.
fn document_flow(
    document: &crate::document::Document,
    style: &Style,
    fonts: &FontBook,
) -> Result<Vec<slab::Flow>, LayoutError> {
    match style.fit {
        Fit::Flow => fit::part_flow(&document.blocks, style, fonts),
        Fit::OnePage => {
            let mut flow = Vec::new();
            fit::one_page_flow(&document.blocks, style, fonts, &mut flow)?;
            Ok(flow)
        }
    }
}

#[cfg(test)]
mod tests;
