//! Turns laid-out pages into PDF bytes: printpdf writes the pages, images and outline;
//! `import.rs` adds pages of other PDFs as form XObjects (a dossier's); `fonts.rs` embeds per-packet font subsets with ToUnicode; `patch.rs` sets what printpdf
//! cannot express (language, metadata, a content-derived `/ID`). Nothing is named from a
//! process-wide counter, so identical input gives identical bytes.

mod cff;
mod fonts;
mod images;
mod import;
mod ops;
mod patch;
mod sfnt;
mod splice;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use printpdf::{
    PageAnnotId, PageAnnotation, PdfDocument, PdfPage, PdfParseErrorSeverity, PdfSaveOptions,
    XObjectId,
};

use crate::document::PacketMeta;
use crate::fonts::{FaceId, FontBook};
use crate::layout::{LaidOutPacket, Page};

pub use import::{page_geometry, PageGeometry};
pub use splice::PdfFile;

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
    #[error("font {face} cannot be subset for embedding: {reason}")]
    Subset { face: String, reason: String },
}

/// Writes `packet` as a PDF file's bytes. The same packet and metadata give the same bytes,
/// whatever the process wrote before and on whichever thread.
pub fn write(
    packet: &LaidOutPacket,
    meta: &PacketMeta,
    fonts: &FontBook,
) -> Result<Vec<u8>, PdfError> {
    write_file(packet, meta, fonts).map(|file| file.to_bytes())
}

/// [`write`], with large JPEGs left in their shared buffers (`splice.rs`) until the file is
/// written out: for the dossier's scans.
pub fn write_file(
    packet: &LaidOutPacket,
    meta: &PacketMeta,
    fonts: &FontBook,
) -> Result<PdfFile, PdfError> {
    check_structure(packet)?;
    let subsets = fonts::subsets(packet, fonts)?;
    let forms = import::FormSet::of(packet)?;
    // The font programs (most of the bytes and of the deflate work) are cut and compressed
    // while the pages are serialised.
    let (programs, doc) = rayon::join(
        || fonts::programs(&subsets, fonts),
        || pages_document(packet, meta, &subsets, &forms),
    );
    let (mut doc, spliced) = doc?;
    forms.install(&mut doc)?;
    fonts::install(&mut doc, &subsets, programs?, fonts)?;
    patch::catalog(&mut doc, meta, !packet.outline.is_empty())?;
    patch::info(&mut doc, meta)?;
    patch::compress(&mut doc)?;
    patch::save_with_content_id(doc, &spliced)
}

/// printpdf's document of the pages, images and outline, without fonts yet.
fn pages_document(
    packet: &LaidOutPacket,
    meta: &PacketMeta,
    subsets: &BTreeMap<FaceId, fonts::FontSubset>,
    forms: &import::FormSet,
) -> Result<(lopdf::Document, Vec<splice::SplicedImage>), PdfError> {
    let mut pdf = PdfDocument::new(&meta.title);
    // Images by digest and forms by their key: the two kinds of keys never collide.
    let (mut xobject_ids, spliced) = images::add_images(&mut pdf, packet);
    xobject_ids.extend(forms.names.clone());
    pdf.pages = packet
        .pages
        .iter()
        .map(|page| pdf_page(page, subsets, &xobject_ids, &forms.sizes))
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
    Ok((to_lopdf(&pdf)?, spliced))
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

fn pdf_page(
    page: &Page,
    subsets: &BTreeMap<FaceId, fonts::FontSubset>,
    xobject_ids: &BTreeMap<String, XObjectId>,
    form_sizes: &BTreeMap<String, (f32, f32)>,
) -> PdfPage {
    let size = printpdf::Rect::from_wh(printpdf::Pt(page.width.0), printpdf::Pt(page.height.0));
    PdfPage {
        media_box: size.clone(),
        trim_box: size.clone(),
        crop_box: size,
        ops: ops::PageWriter::page_ops(page, subsets, xobject_ids, form_sizes),
    }
}

/// printpdf's object tree, refusing the result if printpdf reports an error (a font it could
/// not subset, an invalid colour) rather than shipping a damaged file.
fn to_lopdf(pdf: &PdfDocument) -> Result<lopdf::Document, PdfError> {
    let opts = PdfSaveOptions {
        image_optimization: None,
        // Text is shown with `Tj` through `Op::Unknown` (see `ops.rs`), which the default
        // "secure" mode would drop; every op we pass is one we built.
        secure: false,
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
