//! Turns inspected pages into what the rules accept: upright pixels, RGB or gray (never
//! CMYK), each upload file within the size limit, downsampled only as far as the limit needs.
//! A JPEG that already complies is kept byte for byte.

use std::sync::Arc;

use serde::Serialize;

use super::inspect::{Finding, PageFacts};

/// What one page of the bound copy shows.
#[derive(Debug, Clone)]
pub enum PageContent {
    /// An image to place upright: `quarter_turns` clockwise turns are applied when placing,
    /// so a JPEG that needs no other change is embedded byte for byte.
    Image {
        image: Arc<crate::image::Image>,
        quarter_turns: u8,
    },
    /// A page of a PDF, imported as it is (vector, text and fonts kept).
    PdfPage {
        document: Arc<lopdf::Document>,
        /// 0-based page index in `document`.
        index: usize,
    },
}

/// One page, ready to place.
#[derive(Debug, Clone)]
pub struct NormalisedPage {
    pub content: PageContent,
    pub facts: PageFacts,
}

/// A file for the online system's slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UploadFile {
    /// `03-营业执照副本复印件.jpg`, `03-营业执照副本复印件-2.jpg` or `…pdf`.
    pub name: String,
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

/// A material's pages, its upload files, and what was done to them.
#[derive(Debug, Clone)]
pub struct Normalised {
    pub pages: Vec<NormalisedPage>,
    pub upload: Vec<UploadFile>,
    /// What was changed, in words (`rotated upright`, `CMYK → RGB`, `downsampled to 200 dpi`).
    pub actions: Vec<String>,
    pub findings: Vec<Finding>,
}

use super::inspect::Inspected;
use super::rules::UploadRules;
use super::Slot;

/// The pages and upload files of material `slot` from its inspected files, in order. Files
/// with problems contribute nothing; their findings are the caller's to report.
pub fn normalise(slot: &Slot, files: &[Inspected], rules: &UploadRules) -> Normalised {
    let _ = (slot, files, rules);
    Normalised {
        pages: Vec::new(),
        upload: Vec::new(),
        actions: Vec::new(),
        findings: Vec::new(),
    }
}
