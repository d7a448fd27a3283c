//! Turns laid-out pages into PDF bytes with printpdf: subset fonts with ToUnicode, outline,
//! metadata and byte-identical output for identical input.
//! STUB: to be implemented.

use crate::document::PacketMeta;
use crate::fonts::FontBook;
use crate::layout::LaidOutPacket;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the PDF writer failed: {0}")]
    Writer(String),
}

/// Writes `packet` as a PDF file's bytes.
pub fn write(
    packet: &LaidOutPacket,
    meta: &PacketMeta,
    fonts: &FontBook,
) -> Result<Vec<u8>, PdfError> {
    let _ = (packet, meta, fonts);
    Ok(Vec::new())
}
