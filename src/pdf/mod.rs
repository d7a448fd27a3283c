//! Turns laid-out pages into PDF bytes with printpdf: subset fonts with ToUnicode, outline,
//! metadata and byte-identical output for identical input. printpdf draws and subsets; the
//! names it would draw from a process-wide counter (fonts, bookmarks, trailer `/ID`) and the
//! catalog and Info entries it cannot express are set here (see `fonts.rs` and `patch.rs`).

mod fonts;
mod images;
mod ops;
mod patch;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use printpdf::{
    FontId, PageAnnotId, PageAnnotation, PdfDocument, PdfPage, PdfParseErrorSeverity,
    PdfSaveOptions, XObjectId,
};

use crate::document::PacketMeta;
use crate::fonts::{FaceId, FontBook};
use crate::layout::{LaidOutPacket, Page};

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the PDF writer failed: {0}")]
    Writer(String),
    #[error("the packet has no pages")]
    NoPages,
    #[error("bookmark \"{title}\" points to page {page} but the packet has {pages} pages")]
    OutlineBeyondLastPage {
        title: String,
        page: usize,
        pages: usize,
    },
    #[error("text uses face {face}, which the font book does not have")]
    UnknownFace { face: u16 },
    #[error("font {face} has no glyph for '{ch}' (U+{:04X})", u32::from(*ch))]
    MissingGlyph { ch: char, face: String },
    #[error("font {face} cannot be read by the PDF writer")]
    FontUnreadable { face: String },
}

/// Parses every face of `book` for the writer on a background thread and returns at once.
/// A CJK face takes tens of milliseconds to parse; a command that will write PDFs calls this
/// first so the parse overlaps loading the catalog and templates. The cache is the same one
/// `write` uses, so each face is still parsed once per process.
pub fn warm_up(book: &'static FontBook) {
    std::thread::spawn(move || {
        for (_, face) in book.faces() {
            let _ = fonts::parsed(face);
        }
    });
}

/// Writes `packet` as a PDF file's bytes. The same packet and metadata give the same bytes,
/// whatever the process wrote before and on whichever thread.
pub fn write(
    packet: &LaidOutPacket,
    meta: &PacketMeta,
    fonts: &FontBook,
) -> Result<Vec<u8>, PdfError> {
    check_structure(packet)?;
    let mut pdf = PdfDocument::new(&meta.title);
    let font_ids = add_fonts(&mut pdf, packet, fonts)?;
    let image_ids = images::add_images(&mut pdf, packet);
    pdf.pages = packet
        .pages
        .iter()
        .map(|page| pdf_page(page, &font_ids, &image_ids, fonts))
        .collect();
    for (i, entry) in packet.outline.iter().enumerate() {
        // printpdf numbers pages from 1; the key only has to be unique and stable.
        let bookmark = PageAnnotation {
            name: entry.title.clone(),
            page: entry.page + 1,
        };
        pdf.bookmarks
            .map
            .insert(PageAnnotId(format!("B{i:06}")), bookmark);
    }
    let mut doc = to_lopdf(&pdf)?;
    patch::catalog(&mut doc, meta, !packet.outline.is_empty())?;
    patch::info(&mut doc, meta)?;
    patch::compress(&mut doc)?;
    patch::save_with_content_id(doc)
}

fn check_structure(packet: &LaidOutPacket) -> Result<(), PdfError> {
    if packet.pages.is_empty() {
        return Err(PdfError::NoPages);
    }
    let pages = packet.pages.len();
    match packet.outline.iter().find(|entry| entry.page >= pages) {
        Some(entry) => Err(PdfError::OutlineBeyondLastPage {
            title: entry.title.clone(),
            page: entry.page + 1,
            pages,
        }),
        None => Ok(()),
    }
}

/// Adds the faces the packet draws with (and only those) under deterministic names.
fn add_fonts(
    pdf: &mut PdfDocument,
    packet: &LaidOutPacket,
    book: &FontBook,
) -> Result<BTreeMap<FaceId, FontId>, PdfError> {
    let used = fonts::characters_by_face(packet);
    fonts::check_coverage(&used, book)?;
    let mut ids = BTreeMap::new();
    for (face_id, chars) in &used {
        let face = book.face(*face_id);
        let parsed = fonts::parsed(face)?;
        let font_id = fonts::font_id(*face_id, face, chars);
        pdf.resources
            .fonts
            .map
            .insert(font_id.clone(), fonts::pdf_font(&parsed));
        ids.insert(*face_id, font_id);
    }
    Ok(ids)
}

fn pdf_page(
    page: &Page,
    font_ids: &BTreeMap<FaceId, FontId>,
    image_ids: &BTreeMap<String, XObjectId>,
    book: &FontBook,
) -> PdfPage {
    let size = printpdf::Rect::from_wh(printpdf::Pt(page.width.0), printpdf::Pt(page.height.0));
    PdfPage {
        media_box: size.clone(),
        trim_box: size.clone(),
        crop_box: size,
        ops: ops::PageWriter::page_ops(page, font_ids, image_ids, book),
    }
}

/// printpdf's object tree, refusing the result if printpdf reports an error (a font it could
/// not subset, an invalid colour) rather than shipping a damaged file.
fn to_lopdf(pdf: &PdfDocument) -> Result<lopdf::Document, PdfError> {
    let opts = PdfSaveOptions {
        image_optimization: None,
        ..PdfSaveOptions::default()
    };
    let mut warnings = Vec::new();
    let doc = printpdf::serialize::to_lopdf_doc(pdf, &opts, &mut warnings);
    let errors: Vec<String> = warnings
        .into_iter()
        .filter(|w| w.severity == PdfParseErrorSeverity::Error)
        .map(|w| w.msg)
        .collect();
    if errors.is_empty() {
        Ok(doc)
    } else {
        Err(PdfError::Writer(errors.join("; ")))
    }
}
