//! Reads each matched file once into typed facts: format, pages, pixels, colour, resolution
//! on A4, orientation, encryption, and the problems of the file itself (unreadable,
//! truncated, a decompression bomb, a format the authority does not take).

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
    /// None when the format is unknown or refused (see `findings`).
    pub format: Option<Format>,
    pub pages: Vec<PageFacts>,
    /// A PDF written by licpack itself (an unsigned draft, not a scan).
    pub licpack_draft: bool,
    /// When the file says it was made (EXIF DateTimeOriginal, PDF CreationDate).
    pub dated: Option<NaiveDate>,
    pub findings: Vec<Finding>,
}

/// Reads `file` once. Never panics and never fails: whatever goes wrong is a finding of this
/// file only (a decoder's error or panic included).
pub fn inspect(file: &SourceFile) -> Inspected {
    // Placeholder until the readers land: every file is reported, none is trusted.
    let bytes = std::fs::metadata(&file.path).map(|m| m.len()).unwrap_or(0);
    Inspected {
        file: file.clone(),
        bytes,
        format: None,
        pages: Vec::new(),
        licpack_draft: false,
        dated: None,
        findings: vec![Finding {
            severity: Severity::Problem,
            code: "unreadable",
            message: "this build cannot read client files yet".into(),
        }],
    }
}
