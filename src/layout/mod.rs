//! Turns a [`Packet`] of documents into positioned pages: fonts and metrics, CJK/Latin line
//! breaking, paragraphs, lists, tables, pagination, running header and footer.
//! STUB: to be implemented.

mod page;

pub use page::{
    GlyphRun, Item, LaidOutPacket, LineSegment, OutlineEntry, Page, PathShape, RectShape, Stroke,
};

use crate::document::Packet;
use crate::fonts::FontBook;

/// Why a packet could not be laid out.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LayoutError {
    /// A character that no configured font covers; `context` is the text around it.
    #[error("no font has a glyph for {ch:?} (U+{code:04X}) in \"{context}\"", code = *ch as u32)]
    UncoveredChar { ch: char, context: String },
}

/// Lays out every document of `packet`, each starting on a new page.
pub fn layout(packet: &Packet, fonts: &FontBook) -> Result<LaidOutPacket, LayoutError> {
    let _ = (packet, fonts);
    Ok(LaidOutPacket {
        pages: Vec::new(),
        outline: Vec::new(),
    })
}
