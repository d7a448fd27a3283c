//! Turns inspected pages into what the rules accept: upright pixels, RGB or gray (never
//! CMYK), each upload file within the size limit, downsampled only as far as the limit needs.
//! A JPEG that already complies is kept byte for byte.
//!
//! Conversions for the bound copy are JPEG too, bilevel scans included: the writer holds
//! every page's samples until it writes, and a 600-dpi A4 page of raw 8-bit samples is
//! 35 MB where a gray JPEG at quality 88 keeps text edges readable in well under 1 MB.
//! Pixel work is in [`pixels`], the size decisions in [`fit`], the upload files in
//! [`upload`].

pub mod fit;
pub mod pixels;
pub mod upload;

use std::sync::Arc;

use serde::Serialize;

use super::inspect::raster::{self, Raster};
use super::inspect::{problem, Finding, Format, Inspected, PageFacts, Severity};
use super::rules::UploadRules;
use super::Slot;
use crate::image::SharedBytes;

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
    pub bytes: crate::image::SharedBytes,
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

/// The pages and upload files of material `slot` from its inspected files, in order. Files
/// with problems contribute nothing; their findings are the caller's to report.
pub fn normalise(slot: &Slot, files: &[Inspected], rules: &UploadRules) -> Normalised {
    let mut out = Normalised {
        pages: Vec::new(),
        upload: Vec::new(),
        actions: Vec::new(),
        findings: Vec::new(),
    };
    let usable = files
        .iter()
        .filter(|f| f.format.is_some() && !has_problem(f));
    let mut sources = Vec::new();
    for file in usable {
        let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| bound_pages(file)));
        match read {
            Ok(Ok(bound)) => {
                out.actions.extend(bound.actions);
                out.pages.extend(bound.pages);
                sources.push(file);
            }
            Ok(Err(finding)) => out.findings.push(finding),
            Err(_) => out.findings.push(problem(
                "unreadable",
                format!(
                    "{}: the decoder failed on this file; ask for it again",
                    file.file.display
                ),
            )),
        }
    }
    if !out.pages.is_empty() {
        // Decoding at another scale than inspection did may meet what the preview did not.
        let made = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            upload::files(slot, &sources, &out.pages, rules)
        }));
        match made {
            Ok(upload) => {
                out.upload = upload.files;
                out.actions.extend(upload.actions);
                out.findings.extend(upload.findings);
            }
            Err(_) => out.findings.push(problem(
                "unreadable",
                "the decoder failed while making the upload files; ask for the files again"
                    .to_string(),
            )),
        }
    }
    out
}

fn has_problem(file: &Inspected) -> bool {
    file.findings
        .iter()
        .any(|f| f.severity == Severity::Problem)
}

/// One file's pages for the bound copy and what was done to them.
struct Bound {
    pages: Vec<NormalisedPage>,
    actions: Vec<String>,
}

fn bound_pages(file: &Inspected) -> Result<Bound, Finding> {
    let unreadable = |e: String| problem("unreadable", format!("{}: {e}", file.file.display));
    let bytes = match &file.content {
        Some(bytes) => bytes.clone(),
        None => std::fs::read(&file.file.path)
            .map_err(|e| unreadable(e.to_string()))?
            .into(),
    };
    let facts = |i: usize| {
        file.pages
            .get(i)
            .cloned()
            .unwrap_or_else(|| file.pages[0].clone())
    };
    let name = &file.file.display;
    match file.format {
        Some(Format::Pdf) => {
            let document =
                super::inspect::pdf::load(&bytes).map_err(|e| unreadable(e.to_string()))?;
            let document = Arc::new(document);
            let pages = (0..file.pages.len())
                .map(|index| NormalisedPage {
                    content: PageContent::PdfPage {
                        document: Arc::clone(&document),
                        index,
                    },
                    facts: facts(index),
                })
                .collect();
            Ok(Bound {
                pages,
                actions: Vec::new(),
            })
        }
        Some(Format::Jpeg) => jpeg_page(bytes, facts(0), name).map_err(unreadable),
        Some(Format::Tiff) => {
            let mut pages = Vec::new();
            let mut failed = None;
            raster::tiff_pages(&bytes, |index, raster| {
                match converted(&raster, facts(index)) {
                    Ok(page) => {
                        pages.push(page);
                        true
                    }
                    Err(e) => {
                        failed = Some(e);
                        false
                    }
                }
            })
            .map_err(|e| unreadable(e.to_string()))?;
            if let Some(e) = failed {
                return Err(unreadable(e));
            }
            let actions = vec![format!("{name}: {} TIFF page(s) → JPEG", pages.len())];
            Ok(Bound { pages, actions })
        }
        Some(format) => {
            let raster =
                raster::decode_other(&bytes, format).map_err(|e| unreadable(e.to_string()))?;
            let page = converted(&raster, facts(0)).map_err(unreadable)?;
            let label = format!("{format:?}").to_uppercase();
            Ok(Bound {
                pages: vec![page],
                actions: vec![format!("{name}: {label} → JPEG")],
            })
        }
        None => Err(unreadable("not a readable format".into())),
    }
}

/// A JPEG kept byte for byte when it is RGB or gray and merely turned (orientations 1, 3,
/// 6, 8 become quarter turns); re-encoded when it is CMYK or mirrored (2, 4, 5, 7).
fn jpeg_page(bytes: SharedBytes, facts: PageFacts, name: &str) -> Result<Bound, String> {
    let header = raster::jpeg_header(&bytes).ok_or("the JPEG has no frame header")?;
    let orientation = facts.orientation;
    let mirrored = matches!(orientation, 2 | 4 | 5 | 7);
    if header.components != 4 && !mirrored {
        let image = crate::image::Image::decode_shared(bytes).map_err(|e| e.to_string())?;
        let quarter_turns = match orientation {
            6 => 1,
            3 => 2,
            8 => 3,
            _ => 0,
        };
        let actions = (quarter_turns != 0)
            .then(|| format!("{name}: turned upright (EXIF orientation {orientation})"))
            .into_iter()
            .collect();
        let content = PageContent::Image {
            image: Arc::new(image),
            quarter_turns,
        };
        return Ok(Bound {
            pages: vec![NormalisedPage { content, facts }],
            actions,
        });
    }
    let decoded =
        raster::decode_jpeg(&bytes, header.width, header.height).map_err(|e| e.to_string())?;
    let mut actions = Vec::new();
    if header.components == 4 {
        actions.push(format!("{name}: CMYK → RGB"));
    }
    if orientation != 1 {
        actions.push(format!(
            "{name}: turned upright (EXIF orientation {orientation}, pixels rewritten)"
        ));
    }
    let upright = pixels::orient(decoded, orientation);
    let page = converted(&upright, facts)?;
    Ok(Bound {
        pages: vec![page],
        actions,
    })
}

/// An upright raster as a JPEG page of the bound copy.
fn converted(raster: &Raster, mut facts: PageFacts) -> Result<NormalisedPage, String> {
    let jpeg = pixels::encode(raster, pixels::CONVERT_QUALITY)?;
    let image = crate::image::Image::decode(&jpeg).map_err(|e| e.to_string())?;
    facts.orientation = 1;
    Ok(NormalisedPage {
        content: PageContent::Image {
            image: Arc::new(image),
            quarter_turns: 0,
        },
        facts,
    })
}
