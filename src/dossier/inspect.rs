//! Reads each matched file once into typed facts: format, pages, pixels, colour, resolution
//! on A4, orientation, encryption, and the problems of the file itself (unreadable,
//! truncated, a decompression bomb, a format the authority does not take).
//!
//! Formats are sniffed from content ([`sniff`]); pixels come from [`raster`], PDFs from
//! [`pdf`]; EXIF through `kamadak-exif` (a small, pure-Rust reader of the one tag block we
//! need: orientation and DateTimeOriginal). Every reader runs under `catch_unwind`, so a
//! decoder's panic on a hostile file is that file's problem only.

pub mod jpeg_dc;
pub mod pdf;
pub mod raster;
pub mod sniff;

use crate::image::SharedBytes;
use chrono::NaiveDate;
use serde::Serialize;

use super::matching::SourceFile;

/// Formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pdf,
    Jpeg,
    Png,
    Tiff,
    Gif,
    Bmp,
    Webp,
}

/// Colour of a page as scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Colour {
    Rgb,
    Cmyk,
    Gray,
    /// Black and white only (1-bit scans, fax mode).
    Bilevel,
    /// A PDF page with vector content: no scan colour to judge.
    Vector,
}

/// EXIF orientation as read (1–8); 0 and other invalid values are read as 1.
pub type Orientation = u8;

/// One page (an image, or one page of a PDF or multi-page TIFF).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageFacts {
    /// Pixel size as stored (before orientation), for images and image-only PDF pages.
    pub pixels: Option<(u32, u32)>,
    /// Size in points as it will stand upright (after EXIF orientation, /Rotate, CropBox).
    pub upright_pt: (f32, f32),
    /// Resolution when the page is fitted to A4, for raster pages.
    pub dpi_on_a4: Option<f32>,
    pub colour: Colour,
    pub orientation: Orientation,
    pub blank: bool,
}

/// How serious a finding is: a problem keeps the material from being ready.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Problem,
    Warning,
}

/// Something a clerk must know about a file, in words they can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// Stable identifier for scripts (`unreadable`, `grayscale`, `low-dpi`, …).
    pub code: &'static str,
    pub message: String,
}

/// What one file is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Inspected {
    pub file: SourceFile,
    pub bytes: u64,
    /// The file's bytes, read once: normalisation and the upload files share them.
    #[serde(skip)]
    pub content: Option<SharedBytes>,
    /// None when the format is unknown or refused (see `findings`).
    pub format: Option<Format>,
    pub pages: Vec<PageFacts>,
    /// A PDF written by licpack itself (an unsigned draft, not a scan).
    pub licpack_draft: bool,
    /// When the file says it was made (EXIF DateTimeOriginal, PDF CreationDate).
    pub dated: Option<NaiveDate>,
    pub findings: Vec<Finding>,
}

/// Files larger than this are not read at all (a 10-page 600-dpi colour scan is about 35 MB).
pub const MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;

/// Reads `file` once. Never panics and never fails: whatever goes wrong is a finding of this
/// file only (a decoder's error or panic included).
pub fn inspect(file: &SourceFile) -> Inspected {
    let mut inspected = Inspected {
        file: file.clone(),
        bytes: 0,
        content: None,
        format: None,
        pages: Vec::new(),
        licpack_draft: false,
        dated: None,
        findings: Vec::new(),
    };
    let bytes = match read_bounded(file) {
        Ok(bytes) => bytes,
        Err(finding) => {
            inspected.findings.push(finding);
            return inspected;
        }
    };
    inspected.bytes = bytes.len() as u64;
    let bytes = SharedBytes::from(bytes);
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_format(&bytes)));
    inspected.content = Some(bytes);
    match read {
        Ok(Ok(facts)) => {
            inspected.format = Some(facts.format);
            inspected.pages = facts.pages;
            inspected.licpack_draft = facts.licpack_draft;
            inspected.dated = facts.dated;
        }
        Ok(Err(finding)) => inspected.findings.push(finding),
        Err(_) => inspected.findings.push(problem(
            "unreadable",
            "the file made the decoder fail; it is probably damaged: ask for it again".to_string(),
        )),
    }
    inspected
}

fn read_bounded(file: &SourceFile) -> Result<Vec<u8>, Finding> {
    let size = std::fs::metadata(&file.path)
        .map_err(|e| problem("unreadable", format!("cannot read the file: {e}")))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(problem(
            "too-large",
            format!(
                "the file is {} MB, more than the {} MB read: split it or scan at a lower resolution",
                size / 1_048_576,
                MAX_FILE_BYTES / 1_048_576
            ),
        ));
    }
    std::fs::read(&file.path)
        .map_err(|e| problem("unreadable", format!("cannot read the file: {e}")))
}

/// What one format's reader found.
struct Facts {
    format: Format,
    pages: Vec<PageFacts>,
    licpack_draft: bool,
    dated: Option<NaiveDate>,
}

fn read_format(bytes: &[u8]) -> Result<Facts, Finding> {
    let format =
        match sniff::kind(bytes) {
            sniff::Kind::Readable(format) => format,
            sniff::Kind::Refused(refused) => {
                return Err(problem(
                    "refused-format",
                    format!("this is {}", refused.advice()),
                ))
            }
            sniff::Kind::Unknown => return Err(problem(
                "unknown-format",
                "not a PDF or image file licpack can read (PDF, JPEG, PNG, TIFF, GIF, BMP, WebP)"
                    .to_string(),
            )),
        };
    let facts = |pages, dated| Facts {
        format,
        pages,
        licpack_draft: false,
        dated,
    };
    match format {
        Format::Pdf => read_pdf(bytes),
        Format::Jpeg => {
            let exif = exif_facts(bytes);
            let page = jpeg_page(bytes, exif.orientation)?;
            Ok(facts(vec![page], exif.dated))
        }
        Format::Tiff => {
            let mut pages = Vec::new();
            raster::tiff_pages(bytes, |_, raster| {
                pages.push(raster_page(&raster, 1, None));
                true
            })
            .map_err(decode_finding)?;
            Ok(facts(pages, None))
        }
        _ => {
            let raster = raster::decode_other(bytes, format).map_err(decode_finding)?;
            Ok(facts(vec![raster_page(&raster, 1, None)], None))
        }
    }
}

fn read_pdf(bytes: &[u8]) -> Result<Facts, Finding> {
    let document = pdf::load(bytes).map_err(|e| {
        let code = match e {
            pdf::PdfError::UserPassword => "encrypted",
            _ => "unreadable",
        };
        problem(code, e.to_string())
    })?;
    Ok(Facts {
        format: Format::Pdf,
        pages: pdf::pages(&document),
        licpack_draft: is_licpack_output(&pdf::made_by(&document)),
        dated: pdf::created(&document),
    })
}

/// licpack's PDFs carry `Creator (licpack X.Y.Z)` (`src/pdf/patch.rs`); a scan of a printed
/// packet (or a pdftoppm render) does not, and is accepted as a scan.
pub fn is_licpack_output(made_by: &str) -> bool {
    made_by.starts_with("licpack ")
}

/// A JPEG's page: size and colour model from the header, colour content and blankness from
/// a 1/8-scale decode (cheap: the DCT does the shrinking).
fn jpeg_page(bytes: &[u8], orientation: Orientation) -> Result<PageFacts, Finding> {
    let header = raster::jpeg_header(bytes).ok_or_else(|| {
        problem(
            "unreadable",
            "the JPEG has no frame header: it is damaged".into(),
        )
    })?;
    let preview = raster::preview_jpeg(bytes).map_err(decode_finding)?;
    let stored = (header.components == 4).then_some(Colour::Cmyk);
    let mut page = raster_page(&preview, orientation, stored);
    page.pixels = Some((header.width, header.height));
    page.dpi_on_a4 = Some(dpi_on_a4(header.width, header.height));
    page.upright_pt = upright_points(header.width, header.height, orientation);
    Ok(page)
}

/// Facts of a decoded page; `stored` overrides the colour judged from pixels (CMYK).
fn raster_page(
    raster: &raster::Raster,
    orientation: Orientation,
    stored: Option<Colour>,
) -> PageFacts {
    let (colour, blank) = colour_of(raster);
    PageFacts {
        pixels: Some((raster.width, raster.height)),
        upright_pt: upright_points(raster.width, raster.height, orientation),
        dpi_on_a4: Some(dpi_on_a4(raster.width, raster.height)),
        colour: stored.unwrap_or(colour),
        orientation,
        blank,
    }
}

/// A page's colour as the review judges it (a gray scan saved as RGB is gray) and blankness.
pub fn colour_of(raster: &raster::Raster) -> (Colour, bool) {
    let stats = raster::stats(raster);
    let colour = if stats.bilevel {
        Colour::Bilevel
    } else if stats.coloured {
        Colour::Rgb
    } else {
        Colour::Gray
    };
    (colour, stats.blank)
}

/// Resolution of an image fitted to A4 in its own orientation (long side to 297 mm).
pub fn dpi_on_a4(width: u32, height: u32) -> f32 {
    let (long, short) = (width.max(height) as f32, width.min(height) as f32);
    (long / (297.0 / 25.4)).min(short / (210.0 / 25.4))
}

/// Pixels as points at 72 per inch, turned upright (orientations 5–8 swap the sides).
fn upright_points(width: u32, height: u32, orientation: Orientation) -> (f32, f32) {
    let (w, h) = (width as f32, height as f32);
    if (5..=8).contains(&orientation) {
        (h, w)
    } else {
        (w, h)
    }
}

/// What a JPEG's EXIF block says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExifFacts {
    pub orientation: Orientation,
    pub dated: Option<NaiveDate>,
}

/// Orientation (invalid values such as 0 read as 1) and DateTimeOriginal of a JPEG.
pub fn exif_facts(bytes: &[u8]) -> ExifFacts {
    let exif = exif::Reader::new().read_from_container(&mut std::io::Cursor::new(bytes));
    let Ok(exif) = exif else {
        return ExifFacts {
            orientation: 1,
            dated: None,
        };
    };
    let orientation = exif
        .get_field(exif::Tag::Orientation, exif::In::PRIMARY)
        .and_then(|f| f.value.get_uint(0))
        .filter(|v| (1..=8).contains(v))
        .unwrap_or(1) as u8;
    let dated = [exif::Tag::DateTimeOriginal, exif::Tag::DateTime]
        .iter()
        .find_map(|&tag| exif.get_field(tag, exif::In::PRIMARY))
        .and_then(|f| match &f.value {
            exif::Value::Ascii(parts) => parts.first().cloned(),
            _ => None,
        })
        .and_then(|text| {
            let text = String::from_utf8_lossy(&text).into_owned();
            NaiveDate::parse_from_str(text.get(..10)?, "%Y:%m:%d").ok()
        });
    ExifFacts { orientation, dated }
}

fn decode_finding(error: raster::DecodeError) -> Finding {
    let code = match error {
        raster::DecodeError::TooManyPixels(_) => "too-large",
        raster::DecodeError::Damaged(_) => "unreadable",
    };
    problem(code, error.to_string())
}

/// A problem finding.
pub fn problem(code: &'static str, message: String) -> Finding {
    Finding {
        severity: Severity::Problem,
        code,
        message,
    }
}

/// A warning finding.
pub fn warning(code: &'static str, message: String) -> Finding {
    Finding {
        severity: Severity::Warning,
        code,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a4_resolution_fits_the_long_side_to_297_mm() {
        assert!((dpi_on_a4(2480, 3508) - 300.0).abs() < 0.5);
        assert!((dpi_on_a4(3508, 2480) - 300.0).abs() < 0.5);
        // A wide phone photo is limited by its short side on 210 mm.
        assert!((dpi_on_a4(4000, 1000) - 121.0).abs() < 0.5);
    }

    #[test]
    fn licpack_packets_are_recognised_by_their_creator() {
        assert!(is_licpack_output(
            "licpack 0.1.0 | printpdf 0.12 with lopdf 0.44"
        ));
        assert!(!is_licpack_output(" | img2pdf 0.4.4"));
    }

    #[test]
    fn a_missing_file_is_that_files_problem() {
        let file = SourceFile {
            path: "/nonexistent/scan.jpg".into(),
            display: "scan.jpg".into(),
        };
        let inspected = inspect(&file);
        assert_eq!(inspected.findings[0].code, "unreadable");
        assert_eq!(inspected.format, None);
    }
}
