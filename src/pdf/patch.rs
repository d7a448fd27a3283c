//! Turns printpdf's lopdf document into the file we ship: language, outline display mode,
//! metadata from the packet (never from the clock) and a trailer `/ID` derived from the
//! content. printpdf has no settings for these (its `/PageMode` is even a string where
//! ISO 32000 wants a name, and its `/ID` comes from a process-wide counter), so they are set
//! here on the finished object tree.

use lopdf::{Dictionary, Document, Object, StringFormat};
use sha2::{Digest, Sha256};

use crate::document::PacketMeta;

use super::splice::{self, PdfFile, SplicedImage};
use super::PdfError;

/// What the Info dictionary names as the program that made the file.
const CREATOR: &str = concat!("licpack ", env!("CARGO_PKG_VERSION"));
const PRODUCER: &str = "printpdf 0.12 with lopdf 0.44";

/// Sets the catalog entries printpdf leaves out or gets wrong.
pub(super) fn catalog(
    doc: &mut Document,
    meta: &PacketMeta,
    has_outline: bool,
) -> Result<(), PdfError> {
    // /Lang arrived in PDF 1.4; printpdf starts from 1.3.
    doc.version = "1.7".to_string();
    let catalog = doc.catalog_mut().map_err(lopdf_error)?;
    catalog.set(
        "Lang",
        Object::String(meta.lang.as_bytes().to_vec(), StringFormat::Literal),
    );
    let mode = if has_outline {
        "UseOutlines"
    } else {
        "UseNone"
    };
    catalog.set("PageMode", Object::Name(mode.as_bytes().to_vec()));
    // Viewers show the title instead of the file name (which is a licence number).
    let prefs = Dictionary::from_iter(vec![("DisplayDocTitle", Object::Boolean(true))]);
    catalog.set("ViewerPreferences", prefs);
    Ok(())
}

/// Replaces printpdf's Info dictionary (which carries PDF/X keys and a 1970 date) with the
/// packet's metadata.
pub(super) fn info(doc: &mut Document, meta: &PacketMeta) -> Result<(), PdfError> {
    let date = meta.date.format("D:%Y%m%d000000Z").to_string();
    let keywords = meta.keywords.join(", ");
    let mut dict = Dictionary::new();
    for (key, value) in [
        ("Title", meta.title.as_str()),
        ("Author", &meta.author),
        ("Subject", &meta.subject),
        ("Keywords", &keywords),
        ("Creator", CREATOR),
        ("Producer", PRODUCER),
    ] {
        if !value.is_empty() {
            dict.set(key, text_string(value));
        }
    }
    dict.set("CreationDate", Object::string_literal(date.clone()));
    dict.set("ModDate", Object::string_literal(date));
    let info_id = doc
        .trailer
        .get(b"Info")
        .and_then(Object::as_reference)
        .map_err(lopdf_error)?;
    doc.objects.insert(info_id, Object::Dictionary(dict));
    Ok(())
}

/// Deflates every stream not yet filtered, with libdeflate at [`DEFLATE_LEVEL`], one
/// compressor per thread. Deflate is the largest single cost of a
/// packet, and libdeflate compresses whole buffers (which is what a PDF stream is) in 40 %
/// fewer instructions than zlib-rs, and smaller. On the renewal sample's streams (243 KB
/// raw), counted with callgrind: zlib-rs level 6 33 M instructions for 138.0 KB; libdeflate
/// level 5 19 M for 137.5 KB, level 7 21 M for 137.0 KB, level 8 25 M for 136.5 KB.
pub(super) fn compress(doc: &mut Document) -> Result<(), PdfError> {
    use rayon::prelude::*;
    let mut streams: Vec<&mut lopdf::Stream> = doc
        .objects
        .values_mut()
        .filter_map(|object| match object {
            Object::Stream(stream) if !stream.dict.has(b"Filter") => Some(stream),
            _ => None,
        })
        .collect();
    // The regular face's program is half the work: the other streams deflate beside it,
    // on the other core when a single `generate` leaves it idle.
    streams
        .par_iter_mut()
        .try_for_each(|stream| deflate_stream(stream))
}

/// Compresses a font program now, ahead of the rest of the document, at [`FONT_LEVEL`].
pub(super) fn deflate_font_program(stream: &mut lopdf::Stream) -> Result<(), PdfError> {
    deflate_with(&FONT_DEFLATER, stream)
}

fn deflate_stream(stream: &mut lopdf::Stream) -> Result<(), PdfError> {
    deflate_with(&DEFLATER, stream)
}

fn deflate_with(
    deflater: &'static std::thread::LocalKey<std::cell::RefCell<Deflater>>,
    stream: &mut lopdf::Stream,
) -> Result<(), PdfError> {
    deflater
        .with(|d| d.borrow_mut().deflate(stream))
        .map_err(|e| PdfError::Writer(format!("deflate: {e}")))
}

thread_local! {
    static DEFLATER: std::cell::RefCell<Deflater> =
        std::cell::RefCell::new(Deflater::new(DEFLATE_LEVEL));
    static FONT_DEFLATER: std::cell::RefCell<Deflater> =
        std::cell::RefCell::new(Deflater::new(FONT_LEVEL));
}

/// A compressor and its output buffer, kept per thread: libdeflate's compressor is a few
/// hundred kilobytes of tables, and a fresh zeroed buffer per stream was a visible share of
/// a batch's time. What it writes depends only on the stream.
struct Deflater {
    compressor: libdeflater::Compressor,
    buffer: Vec<u8>,
}

impl Deflater {
    fn new(level: i32) -> Deflater {
        let level =
            libdeflater::CompressionLvl::new(level).expect("one of libdeflate's levels (1–12)");
        Deflater {
            compressor: libdeflater::Compressor::new(level),
            buffer: Vec::new(),
        }
    }

    fn deflate(&mut self, stream: &mut lopdf::Stream) -> Result<(), libdeflater::CompressionError> {
        let bound = self.compressor.zlib_compress_bound(stream.content.len());
        if self.buffer.len() < bound {
            self.buffer.resize(bound, 0);
        }
        let written = self
            .compressor
            .zlib_compress(&stream.content, &mut self.buffer)?;
        // `/Filter /FlateDecode` costs 19 bytes; tiny streams stay as they are.
        if written + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(self.buffer[..written].to_vec());
        }
        Ok(())
    }
}

const DEFLATE_LEVEL: i32 = 7;
/// libdeflate's level for font programs. Outlines are dense: deflate takes a fifth off them at
/// any level, and the Regular face's program was the largest single cost of a packet. On the
/// renewal sample's 110 KB program level 1 takes 0.84 ms against level 7's 1.7 ms, for 1.4 KB
/// more (89.5 against 88.1 KB); over a 200-client batch that is a tenth less CPU time for a
/// file 1.2 % larger. Levels 2–4 sit between (1.15–1.4 ms, 0.6–0.7 KB more).
const FONT_LEVEL: i32 = 1;
/// lopdf's level for the object stream: its 4–6 mean zlib's default search.
const OBJECT_STREAM_LEVEL: u32 = 6;

/// Serialises `doc` with a trailer `/ID` that is a hash of the file written with an all-zero
/// ID: identical content gives an identical ID, different content a different one. The
/// digest replaces the zeros in place (same length, so no offset moves), which saves
/// serialising the document twice. Spliced images (`splice.rs`) enter the hash by their place
/// and content digest, not their bytes.
pub(super) fn save_with_content_id(
    mut doc: Document,
    spliced: &[SplicedImage],
) -> Result<PdfFile, PdfError> {
    let placeholder = Object::String(vec![0; ID_LEN], StringFormat::Hexadecimal);
    // Both halves are equal: this is the file's first and only version.
    doc.trailer
        .set("ID", Object::Array(vec![placeholder.clone(), placeholder]));
    let mut file = save(&mut doc, spliced)?;
    let mut hasher = Sha256::new();
    hasher.update(file.splice_fingerprint(spliced));
    let bytes = file.own_mut();
    hasher.update(&bytes[..]);
    let digest = hasher.finalize();
    let hex: String = digest[..ID_LEN]
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    let zeros = [b'0'; 2 * ID_LEN];
    // The trailer is the cross-reference stream's dictionary, the file's last object; its
    // `/ID` is the last one written. Only the placeholder's own bytes are searched, so
    // compressed data that happened to hold the zeros could not be patched by mistake.
    let id = find_last(bytes, b"/ID")
        .ok_or_else(|| PdfError::Writer("the file has no trailer /ID".into()))?;
    let end = (id + ID_ARRAY_LEN).min(bytes.len());
    let mut replaced = 0;
    while let Some(at) = find_last(&bytes[id..end], &zeros) {
        bytes[id + at..id + at + zeros.len()].copy_from_slice(hex.as_bytes());
        replaced += 1;
    }
    if replaced != 2 {
        return Err(PdfError::Writer(format!(
            "expected the two halves of the trailer /ID, found {replaced}"
        )));
    }
    Ok(file)
}

/// Bytes in each half of the trailer `/ID`.
const ID_LEN: usize = 16;
/// `/ID[<…32 hex…><…32 hex…>]` with room for spaces lopdf may put between the parts.
const ID_ARRAY_LEN: usize = 2 * (2 * ID_LEN + 2) + 16;

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

fn save(doc: &mut Document, spliced: &[SplicedImage]) -> Result<PdfFile, PdfError> {
    // The streams (already compressed) are nearly all of the file: room for them and the
    // dictionaries up front spares the copies of a buffer grown by doubling.
    let streams: usize = doc
        .objects
        .values()
        .filter_map(|object| match object {
            Object::Stream(stream) => Some(stream.content.len()),
            _ => None,
        })
        .sum();
    // Counted before the spliced images get their placeholders: those bytes are not held.
    let placeholders = splice::fill_placeholders(doc, spliced);
    let mut writer = splice::SplicingWriter::new(placeholders, streams + 16 * 1024);
    // PDF 1.5 object streams and a cross-reference stream: the dictionaries (pages, fonts,
    // outline) are compressed together instead of each standing in plain text with a
    // 20-byte cross-reference line.
    let options = lopdf::SaveOptions::builder()
        .use_object_streams(true)
        .use_xref_streams(true)
        // lopdf compresses the object stream with zlib: its levels 7–9 are zlib's slowest
        // search, which on these few kilobytes of dictionaries saves 6 bytes over 4–6.
        .compression_level(OBJECT_STREAM_LEVEL)
        .build();
    doc.save_with_options(&mut writer, options)
        .map_err(|e| PdfError::Writer(e.to_string()))?;
    writer.finish().map_err(PdfError::Writer)
}

/// A PDF text string: plain bytes when ASCII (PDFDocEncoding agrees with it), otherwise
/// UTF-16BE with a byte order mark.
pub(super) fn text_string(text: &str) -> Object {
    if text.is_ascii() {
        return Object::string_literal(text);
    }
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    Object::String(bytes, StringFormat::Hexadecimal)
}

fn lopdf_error(e: lopdf::Error) -> PdfError {
    PdfError::Writer(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_string_is_ascii_or_utf16_with_bom() {
        assert_eq!(text_string("Plan"), Object::string_literal("Plan"));
        let Object::String(bytes, _) = text_string("承诺") else {
            panic!("not a string")
        };
        assert_eq!(bytes, vec![0xFE, 0xFF, 0x62, 0x7F, 0x8B, 0xFA]);
    }
}
