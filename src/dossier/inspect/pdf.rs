//! Reads a client's PDF with lopdf (the PDF library the writer already uses): whether it
//! opens (an owner password alone does not stop reading; a user password does), each page's
//! upright size with inherited /MediaBox, /CropBox and /Rotate resolved, and whether a page is
//! one scanned image, whose pixels then say colour, resolution and blankness.

use chrono::NaiveDate;
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::raster::{self, Raster};
use super::{Colour, PageFacts};

/// Streams are never inflated past this (decompression bombs): 256 MB holds a 600-dpi A4
/// page of raw RGB samples twice over.
pub const MAX_STREAM_BYTES: usize = 256 * 1024 * 1024;

/// Why a PDF cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    #[error("the PDF is protected by a password needed to open it: ask the client for an unprotected copy")]
    UserPassword,
    #[error("the PDF is damaged or cut short ({0}): ask the client to save or scan it again")]
    Damaged(String),
    #[error("the PDF has no pages")]
    NoPages,
}

/// Loads `bytes`, decrypting a file protected by an owner password only.
pub fn load(bytes: &[u8]) -> Result<Document, PdfError> {
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(MAX_STREAM_BYTES),
        ..Default::default()
    };
    let document = match Document::load_mem_with_options(bytes, options) {
        Ok(document) => document,
        Err(lopdf::Error::Decryption(_)) => return Err(PdfError::UserPassword),
        Err(e) => return Err(PdfError::Damaged(e.to_string())),
    };
    if document.is_encrypted() {
        return Err(PdfError::UserPassword);
    }
    if document.get_pages().is_empty() {
        return Err(PdfError::NoPages);
    }
    Ok(document)
}

/// An attribute of a page, or of the nearest /Pages node above it that has one.
pub fn inherited<'a>(document: &'a Document, page: ObjectId, key: &[u8]) -> Option<&'a Object> {
    let mut node = document.get_dictionary(page).ok()?;
    for _ in 0..64 {
        if let Ok(value) = node.get(key) {
            return document.dereference(value).ok().map(|(_, v)| v);
        }
        let parent = node.get(b"Parent").ok()?.as_reference().ok()?;
        node = document.get_dictionary(parent).ok()?;
    }
    None
}

/// The visible box (CropBox, else MediaBox) as (llx, lly, urx, ury).
pub fn visible_box(document: &Document, page: ObjectId) -> [f32; 4] {
    let read = |key: &[u8]| -> Option<[f32; 4]> {
        let values = inherited(document, page, key)?.as_array().ok()?;
        let numbers: Vec<f32> = values.iter().filter_map(|v| v.as_float().ok()).collect();
        let [a, b, c, d] = numbers.try_into().ok()?;
        Some([a.min(c), b.min(d), a.max(c), b.max(d)])
    };
    read(b"CropBox")
        .or_else(|| read(b"MediaBox"))
        .unwrap_or([0.0, 0.0, 595.28, 841.89])
}

/// /Rotate as clockwise quarter turns (0–3).
pub fn quarter_turns(document: &Document, page: ObjectId) -> u8 {
    let degrees = inherited(document, page, b"Rotate")
        .and_then(|v| v.as_i64().ok())
        .unwrap_or(0);
    (degrees.rem_euclid(360) / 90) as u8
}

/// The one image a scanner page consists of: its object and what it holds.
#[derive(Debug, Clone)]
pub struct PageImage {
    pub id: ObjectId,
    pub width: u32,
    pub height: u32,
    /// DCTDecode data: a JPEG file as it is.
    pub jpeg: bool,
    /// 1-bit samples, an image mask, CCITT fax or JBIG2.
    pub bilevel: bool,
}

/// The image a page shows alone (its content paints nothing else), if it is a scan.
pub fn page_image(document: &Document, page: ObjectId) -> Option<PageImage> {
    let content = page_content(document, page)?;
    let operations = lopdf::content::Content::decode(&content).ok()?.operations;
    let paints = |op: &str| {
        matches!(
            op,
            "Tj" | "TJ"
                | "'"
                | "\""
                | "f"
                | "F"
                | "f*"
                | "B"
                | "B*"
                | "b"
                | "b*"
                | "S"
                | "s"
                | "sh"
                | "BI"
        )
    };
    if operations.iter().any(|o| paints(&o.operator)) {
        return None;
    }
    let mut drawn = operations.iter().filter(|o| o.operator == "Do");
    let name = drawn.next()?.operands.first()?.as_name().ok()?;
    if drawn.next().is_some() {
        return None;
    }
    let resources = inherited(document, page, b"Resources")?.as_dict().ok()?;
    let xobjects = resources
        .get_deref(b"XObject", document)
        .ok()?
        .as_dict()
        .ok()?;
    let id = xobjects.get(name).ok()?.as_reference().ok()?;
    let stream = document.get_object(id).ok()?.as_stream().ok()?;
    image_of(&stream.dict, id)
}

fn image_of(dict: &Dictionary, id: ObjectId) -> Option<PageImage> {
    if dict.get(b"Subtype").ok()?.as_name().ok()? != b"Image" {
        return None;
    }
    let number = |key: &[u8]| dict.get(key).ok().and_then(|v| v.as_i64().ok());
    let filters: Vec<Vec<u8>> = match dict.get(b"Filter") {
        Ok(Object::Name(name)) => vec![name.clone()],
        Ok(Object::Array(list)) => list
            .iter()
            .filter_map(|f| f.as_name().ok().map(<[u8]>::to_vec))
            .collect(),
        _ => Vec::new(),
    };
    let has = |f: &[u8]| filters.iter().any(|x| x == f);
    let mask = matches!(dict.get(b"ImageMask"), Ok(Object::Boolean(true)));
    Some(PageImage {
        id,
        width: u32::try_from(number(b"Width")?).ok()?,
        height: u32::try_from(number(b"Height")?).ok()?,
        jpeg: filters.len() == 1 && has(b"DCTDecode"),
        bilevel: mask
            || number(b"BitsPerComponent") == Some(1)
            || has(b"CCITTFaxDecode")
            || has(b"JBIG2Decode"),
    })
}

/// A page's content streams joined, inflated within the stream limit.
fn page_content(document: &Document, page: ObjectId) -> Option<Vec<u8>> {
    let mut content = Vec::new();
    for id in document.get_page_contents(page) {
        let stream = document.get_object(id).ok()?.as_stream().ok()?;
        let data = if stream.dict.get(b"Filter").is_ok() {
            stream
                .decompressed_content_with_limit(MAX_STREAM_BYTES)
                .ok()?
        } else {
            stream.content.clone()
        };
        content.extend_from_slice(&data);
        content.push(b'\n');
    }
    Some(content)
}

/// The facts of every page, in order; pages in parallel (each scanned page's preview
/// decodes its whole JPEG stream, the main cost of inspecting a scanner's PDF).
pub fn pages(document: &Document) -> Vec<PageFacts> {
    use rayon::prelude::*;
    let ids: Vec<ObjectId> = document.get_pages().into_values().collect();
    ids.par_iter()
        .map(|&page| page_facts(document, page))
        .collect()
}

fn page_facts(document: &Document, page: ObjectId) -> PageFacts {
    let [x0, y0, x1, y1] = visible_box(document, page);
    let turns = quarter_turns(document, page);
    let (w, h) = (x1 - x0, y1 - y0);
    let upright_pt = if turns % 2 == 1 { (h, w) } else { (w, h) };
    let image = page_image(document, page);
    let (colour, blank) = match &image {
        Some(image) => image_colour(document, image),
        None => (Colour::Vector, vector_blank(document, page)),
    };
    PageFacts {
        pixels: image.as_ref().map(|i| (i.width, i.height)),
        upright_pt,
        dpi_on_a4: image.as_ref().map(|i| super::dpi_on_a4(i.width, i.height)),
        colour,
        orientation: 1,
        blank,
    }
}

/// A scanned page's colour and blankness from a preview of its pixels (JPEG decoded at 1/8).
fn image_colour(document: &Document, image: &PageImage) -> (Colour, bool) {
    if image.bilevel {
        return (Colour::Bilevel, false);
    }
    match preview(document, image) {
        Some(raster) => super::colour_of(&raster),
        None => (Colour::Rgb, false),
    }
}

/// The pixels of a DCT-encoded page image at preview size.
pub fn preview(document: &Document, image: &PageImage) -> Option<Raster> {
    let data = jpeg_data(document, image)?;
    raster::preview_jpeg(data).ok()
}

/// The JPEG file a DCTDecode image stream holds.
pub fn jpeg_data<'a>(document: &'a Document, image: &PageImage) -> Option<&'a [u8]> {
    if !image.jpeg {
        return None;
    }
    let stream = document.get_object(image.id).ok()?.as_stream().ok()?;
    Some(&stream.content)
}

fn vector_blank(document: &Document, page: ObjectId) -> bool {
    page_content(document, page).is_some_and(|c| c.iter().all(u8::is_ascii_whitespace))
}

/// The PDF's /Creator and /Producer, joined, for recognising licpack's own output.
pub fn made_by(document: &Document) -> String {
    let info = document
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|i| document.dereference(i).ok())
        .and_then(|(_, i)| i.as_dict().ok());
    let field = |key: &[u8]| {
        info.and_then(|d| d.get(key).ok())
            .and_then(|v| lopdf::decode_text_string(v).ok())
            .unwrap_or_default()
    };
    format!("{} | {}", field(b"Creator"), field(b"Producer"))
}

/// /CreationDate (`D:20261120…`) as a date.
pub fn created(document: &Document) -> Option<NaiveDate> {
    let info = document.trailer.get(b"Info").ok()?;
    let info = document.dereference(info).ok()?.1.as_dict().ok()?;
    let text = lopdf::decode_text_string(info.get(b"CreationDate").ok()?).ok()?;
    let digits = text.trim_start_matches("D:");
    NaiveDate::parse_from_str(digits.get(..8)?, "%Y%m%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    /// A document whose one page inherits MediaBox and Rotate from its /Pages node.
    fn inheriting() -> (Document, ObjectId) {
        let mut doc = Document::with_version("1.7");
        let pages = doc.new_object_id();
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages,
            "CropBox" => vec![10.into(), 10.into(), 210.into(), 110.into()],
        });
        doc.objects.insert(
            pages,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                "Rotate" => 90,
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
        doc.trailer.set("Root", catalog);
        (doc, page)
    }

    #[test]
    fn inherited_rotate_and_cropbox_give_the_upright_size() {
        let (doc, page) = inheriting();
        assert_eq!(quarter_turns(&doc, page), 1);
        assert_eq!(visible_box(&doc, page), [10.0, 10.0, 210.0, 110.0]);
        let facts = page_facts(&doc, page);
        assert_eq!(facts.upright_pt, (100.0, 200.0));
        assert_eq!(facts.colour, Colour::Vector);
        assert!(facts.blank, "a page without content is blank");
    }

    #[test]
    fn damaged_bytes_are_a_damaged_pdf() {
        assert!(matches!(
            load(b"%PDF-1.7\ngarbage"),
            Err(PdfError::Damaged(_))
        ));
    }
}
