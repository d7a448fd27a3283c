//! The files for the online system's slot: up to `max_images_per_slot` image pages as
//! `NN-<名称>.jpg` / `NN-<名称>-K.jpg` (upright pixels, RGB or gray, a compliant JPEG copied
//! as it is), anything else as one `NN-<名称>.pdf` written by `assemble::pages_pdf`; every
//! file within `max_file_bytes`, shrunk only as far as that needs.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use rayon::prelude::*;

use super::fit::{self, Candidate};
use super::pixels;
use super::{NormalisedPage, PageContent, UploadFile};
use crate::dossier::assemble;
use crate::dossier::inspect::raster::{self, Raster};
use crate::dossier::inspect::{pdf, problem, warning, Finding, Format, Inspected};
use crate::dossier::rules::UploadRules;
use crate::dossier::Slot;

/// Bytes a PDF adds around its pages (catalog, page tree, one page object and its content
/// stream each): an allowance in the size estimate, checked against the real file after.
const PDF_OVERHEAD: u64 = 16 * 1024;
const PDF_PAGE_OVERHEAD: u64 = 1024;

/// What the upload step produced.
pub struct Outcome {
    pub files: Vec<UploadFile>,
    pub actions: Vec<String>,
    pub findings: Vec<Finding>,
}

/// The upload files of `slot` from its bound pages; `sources` are the files they came from.
pub fn files(
    slot: &Slot,
    sources: &[&Inspected],
    pages: &[NormalisedPage],
    rules: &UploadRules,
) -> Outcome {
    let stem = format!("{:02}-{}", slot.number, safe_name(&slot.name.zh));
    let images_only = sources.iter().all(|f| f.format != Some(Format::Pdf));
    if images_only && pages.len() <= rules.max_images_per_slot {
        jpeg_files(&stem, sources, pages, rules)
    } else {
        pdf_file(&stem, &slot.name.zh, sources, pages, rules)
    }
}

/// A material's Chinese name as a file name: path separators and characters Windows refuses
/// become `_`.
pub fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    cleaned.trim().trim_matches('.').to_string()
}

/// The name of image `k` (0-based) of `count`.
pub fn jpeg_name(stem: &str, k: usize, count: usize) -> String {
    if count == 1 {
        format!("{stem}.jpg")
    } else {
        format!("{stem}-{}.jpg", k + 1)
    }
}

/// A page's JPEG and how far it must still turn, when it is an image (or a PDF page that is
/// one scanned JPEG); None for vector pages, which cannot shrink.
fn page_jpeg(page: &NormalisedPage) -> Option<(&[u8], u8)> {
    match &page.content {
        PageContent::Image {
            image,
            quarter_turns,
        } if image.encoding == crate::image::Encoding::Jpeg => Some((&image.data, *quarter_turns)),
        PageContent::Image { .. } => None,
        PageContent::PdfPage { document, index } => {
            let id = *document.get_pages().get(&(*index as u32 + 1))?;
            let image = pdf::page_image(document, id)?;
            let data = pdf::jpeg_data(document, &image)?;
            Some((data, pdf::quarter_turns(document, id)))
        }
    }
}

fn jpeg_files(
    stem: &str,
    sources: &[&Inspected],
    pages: &[NormalisedPage],
    rules: &UploadRules,
) -> Outcome {
    let mut outcome = Outcome {
        files: Vec::new(),
        actions: Vec::new(),
        findings: Vec::new(),
    };
    let single_jpegs: Vec<u64> = sources
        .iter()
        .filter(|f| f.format == Some(Format::Jpeg))
        .map(|f| f.bytes)
        .collect();
    for (k, page) in pages.iter().enumerate() {
        let name = jpeg_name(stem, k, pages.len());
        let Some((jpeg, turns)) = page_jpeg(page) else {
            continue;
        };
        let fits = jpeg.len() as u64 <= rules.max_file_bytes;
        if turns == 0 && fits {
            if single_jpegs.contains(&(jpeg.len() as u64)) {
                outcome.actions.push(format!("{name}: copied as it is"));
            }
            // An image page's bytes are the file's own, shared; a PDF page's are copied out.
            let bytes = match &page.content {
                PageContent::Image { image, .. } => image.data.clone(),
                PageContent::PdfPage { .. } => jpeg.to_vec().into(),
            };
            outcome.files.push(UploadFile { name, bytes });
            continue;
        }
        let dpi = page.facts.dpi_on_a4.unwrap_or(300.0);
        // Turning alone needs no downsampling; a page over the limit is kept at most at
        // 300 dpi once it must be re-encoded.
        let max_dpi = (!fits).then_some(fit::MAX_SHRUNK_DPI);
        match fit_pages(
            &[(jpeg, turns, dpi)],
            rules.max_file_bytes,
            0,
            max_dpi,
            rules,
        ) {
            Ok(fitted) => {
                outcome
                    .actions
                    .extend(describe(&name, &fitted, &[dpi], turns));
                outcome.findings.extend(fitted.finding.clone());
                outcome.files.push(UploadFile {
                    name,
                    bytes: fitted.jpegs.into_iter().next().unwrap_or_default().into(),
                });
            }
            Err(finding) => outcome.findings.push(finding),
        }
    }
    outcome
}

/// JPEGs that fit a budget together, and how far they were shrunk.
#[derive(Debug, Clone)]
pub struct Fitted {
    pub jpegs: Vec<Vec<u8>>,
    pub scales: Vec<f32>,
    pub finding: Option<Finding>,
}

/// Pixels kept between tries, at most this many bytes for all pages of a file together
/// (a 300-dpi A4 page in RGB is 26 MB): a smaller try then only resizes them, and a page
/// whose pixels are not kept is decoded again.
const KEEP_BYTES: usize = 32 * 1024 * 1024;

/// One page being fitted: its JPEG, and what earlier tries left.
struct Work<'a> {
    jpeg: &'a [u8],
    turns: u8,
    /// Stored size (before turning).
    width: u32,
    height: u32,
    /// Upright pixels of an earlier try, to shrink further from.
    kept: Option<Raster>,
    /// The encode of the last try, reused when the page's scale did not change.
    last: Option<(f32, Vec<u8>)>,
}

impl Work<'_> {
    /// The page upright at `scale`, as a JPEG: the source as it is at scale 1 without a
    /// turn; otherwise from kept pixels when they are large enough, else decoded at the
    /// nearest DCT scale above, resized, turned and encoded.
    fn encode(&mut self, scale: f32, kept_bytes: &AtomicUsize) -> Result<Vec<u8>, String> {
        if let Some((s, jpeg)) = &self.last {
            if *s == scale {
                return Ok(jpeg.clone());
            }
        }
        if scale >= 1.0 && self.turns == 0 {
            return Ok(self.jpeg.to_vec());
        }
        let (width, height) = dct_snapped(
            fit::scaled_size(self.width, self.height, scale),
            (self.width, self.height),
        );
        let upright = if self.turns % 2 == 1 {
            (height, width)
        } else {
            (width, height)
        };
        let from_kept = self
            .kept
            .as_ref()
            .filter(|k| k.width >= upright.0 && k.height >= upright.1)
            .and_then(|k| pixels::resized(k, upright.0, upright.1));
        let sized = match from_kept {
            Some(sized) => sized,
            None => {
                let decoded =
                    raster::decode_jpeg(self.jpeg, width, height).map_err(|e| e.to_string())?;
                let sized = pixels::resize(decoded, width, height);
                pixels::orient(sized, pixels::orientation_of_turns(self.turns))
            }
        };
        let quality = if scale < 1.0 {
            pixels::SHRINK_QUALITY
        } else {
            pixels::CONVERT_QUALITY
        };
        let jpeg = pixels::encode(&sized, quality)?;
        self.keep(sized, kept_bytes);
        self.last = Some((scale, jpeg.clone()));
        Ok(jpeg)
    }

    /// Keeps `pixels` for the next try when the shared allowance has room for them.
    fn keep(&mut self, pixels: Raster, kept_bytes: &AtomicUsize) {
        if let Some(old) = self.kept.take() {
            kept_bytes.fetch_sub(old.pixels.len(), Ordering::Relaxed);
        }
        let size = pixels.pixels.len();
        if kept_bytes.fetch_add(size, Ordering::Relaxed) + size <= KEEP_BYTES {
            self.kept = Some(pixels);
        } else {
            kept_bytes.fetch_sub(size, Ordering::Relaxed);
        }
    }
}

/// `size`, or the size of a DCT scale (1/2, 1/4, 1/8 of `full`) a hair under it: a
/// "599.92 dpi" page halved to 300 dpi asks for 2481 pixels where the DCT gives 2480, and
/// that one pixel would cost a full-size decode (four times the work and memory) and a
/// resize.
fn dct_snapped(size: (u32, u32), full: (u32, u32)) -> (u32, u32) {
    let scaled = |v: u32, eighths: u32| v.saturating_mul(eighths).div_ceil(8);
    for eighths in [4, 2, 1] {
        let dct = (scaled(full.0, eighths), scaled(full.1, eighths));
        let close = |d: u32, s: u32| d <= s && f64::from(d) >= f64::from(s) * 0.995;
        if close(dct.0, size.0) && close(dct.1, size.1) {
            return dct;
        }
    }
    size
}

/// Shrinks `pages` (JPEG, turns, dpi) until they and `fixed` other bytes fit `budget`, as
/// little as that needs (and to `max_dpi` at most): [`fit::Search`] proposes a scale, every page is encoded at it in
/// parallel and the real bytes measured, until the total lands close under the budget
/// (a handful of encodes at most). Below `rules.min_dpi` only when the limit cannot be met
/// otherwise, with a warning.
pub fn fit_pages(
    pages: &[(&[u8], u8, f32)],
    budget: u64,
    fixed: u64,
    max_dpi: Option<f32>,
    rules: &UploadRules,
) -> Result<Fitted, Finding> {
    let candidates: Vec<Candidate> = pages
        .iter()
        .map(|(jpeg, _, dpi)| Candidate {
            bytes: jpeg.len() as u64,
            dpi: *dpi,
        })
        .collect();
    let unreadable =
        |e: String| problem("unreadable", format!("a page could not be converted: {e}"));
    let mut work: Vec<Work> = pages
        .iter()
        .map(|&(jpeg, turns, _)| {
            let header = raster::jpeg_header(jpeg).ok_or("the JPEG has no frame header")?;
            Ok(Work {
                jpeg,
                turns,
                width: header.width,
                height: header.height,
                kept: None,
                last: None,
            })
        })
        .collect::<Result<_, String>>()
        .map_err(unreadable)?;
    let kept_bytes = AtomicUsize::new(0);
    let room = budget.saturating_sub(fixed);
    let min_dpi = rules.min_dpi as f32;
    for below in [false, true] {
        let mut search = fit::Search::new(&candidates, room, min_dpi, max_dpi, below);
        let mut best: Option<(f32, Vec<Vec<u8>>)> = None;
        loop {
            let s = search.next();
            let scales = search.page_scales(s);
            let jpegs = work
                .par_iter_mut()
                .zip(&scales)
                .map(|(page, &scale)| page.encode(scale, &kept_bytes))
                .collect::<Result<Vec<Vec<u8>>, String>>()
                .map_err(unreadable)?;
            let sizes: Vec<u64> = jpegs.iter().map(|j| j.len() as u64).collect();
            if sizes.iter().sum::<u64>() <= room && best.as_ref().is_none_or(|(b, _)| s > *b) {
                best = Some((s, jpegs));
            }
            match search.record(s, &sizes) {
                fit::Verdict::Again => {}
                fit::Verdict::Impossible => break,
                fit::Verdict::Take(_) => {
                    let Some((s, jpegs)) = best else { break };
                    let scales = search.page_scales(s);
                    let finding = below_minimum(&scales, &candidates, rules, budget);
                    return Ok(Fitted {
                        jpegs,
                        scales,
                        finding,
                    });
                }
            }
        }
    }
    Err(problem(
        "over-limit",
        format!(
            "still over the {} limit after downsampling: split the material or scan it at a lower resolution",
            megabytes(budget)
        ),
    ))
}

/// The warning for pages downsampled below the minimum resolution, if any were.
fn below_minimum(
    scales: &[f32],
    pages: &[Candidate],
    rules: &UploadRules,
    budget: u64,
) -> Option<Finding> {
    let lowest = (scales.iter().zip(pages))
        .filter(|(s, _)| **s < 1.0)
        .map(|(s, p)| s * p.dpi)
        .reduce(f32::min)?;
    // Scales round page sides up, so a page at the floor is at the minimum, not a hair under.
    (lowest < rules.min_dpi as f32 - 0.5).then(|| {
        warning(
            "below-min-dpi",
            format!(
                "downsampled to {lowest:.0} dpi, below the {} dpi asked for, to fit the {} limit",
                rules.min_dpi,
                megabytes(budget)
            ),
        )
    })
}

fn megabytes(bytes: u64) -> String {
    format!("{} MB", bytes / (1024 * 1024))
}

/// The actions for one output from its pages' original dpi.
fn describe(name: &str, fitted: &Fitted, dpi: &[f32], turns: u8) -> Vec<String> {
    let mut actions = Vec::new();
    if turns != 0 {
        actions.push(format!("{name}: pixels turned upright"));
    }
    let shrunk: Vec<f32> = (fitted.scales.iter().zip(dpi))
        .filter(|(s, _)| **s < 1.0)
        .map(|(s, d)| s * d)
        .collect();
    if let Some(low) = shrunk.iter().copied().reduce(f32::min) {
        let high = shrunk.iter().copied().fold(low, f32::max);
        let range = if high - low < 1.0 {
            format!("{low:.0} dpi")
        } else {
            format!("{low:.0}–{high:.0} dpi")
        };
        actions.push(format!(
            "{name}: {} page(s) downsampled to {range} to fit the size limit",
            shrunk.len()
        ));
    }
    actions
}

fn pdf_file(
    stem: &str,
    title: &str,
    sources: &[&Inspected],
    pages: &[NormalisedPage],
    rules: &UploadRules,
) -> Outcome {
    let name = format!("{stem}.pdf");
    let mut outcome = Outcome {
        files: Vec::new(),
        actions: Vec::new(),
        findings: Vec::new(),
    };
    let origin = page_origins(sources, pages.len());
    let jpegs: Vec<Option<(&[u8], u8)>> = pages.iter().map(page_jpeg).collect();
    let fixed: u64 = PDF_OVERHEAD
        + (pages.iter().zip(&jpegs).zip(&origin))
            .map(|((_, jpeg), file)| {
                PDF_PAGE_OVERHEAD
                    + if jpeg.is_some() {
                        0
                    } else {
                        vector_share(file)
                    }
            })
            .sum::<u64>();
    let current: u64 = fixed
        + jpegs
            .iter()
            .flatten()
            .map(|(j, _)| j.len() as u64)
            .sum::<u64>();
    let shrunk_pages = if current <= rules.max_file_bytes {
        pages.to_vec()
    } else {
        let shrinkable: Vec<(&[u8], u8, f32)> = (jpegs.iter().zip(pages))
            .filter_map(|(j, p)| {
                j.map(|(jpeg, turns)| (jpeg, turns, p.facts.dpi_on_a4.unwrap_or(300.0)))
            })
            .collect();
        let fitted = match fit_pages(
            &shrinkable,
            rules.max_file_bytes,
            fixed,
            Some(fit::MAX_SHRUNK_DPI),
            rules,
        ) {
            Ok(fitted) => fitted,
            Err(finding) => {
                outcome.findings.push(finding);
                return outcome;
            }
        };
        let dpi: Vec<f32> = shrinkable.iter().map(|s| s.2).collect();
        outcome.actions.extend(describe(&name, &fitted, &dpi, 0));
        outcome.findings.extend(fitted.finding.clone());
        replace_images(pages, &jpegs, fitted.jpegs)
    };
    match assemble::pages_pdf(&shrunk_pages, title) {
        Ok(bytes) if bytes.len() as u64 > rules.max_file_bytes => outcome.findings.push(problem(
            "over-limit",
            format!(
                "{name} is {:.1} MB, over the {} limit: split the material",
                bytes.len() as f64 / 1_048_576.0,
                megabytes(rules.max_file_bytes)
            ),
        )),
        Ok(bytes) => outcome.files.push(UploadFile {
            name,
            bytes: bytes.into(),
        }),
        Err(e) => outcome
            .findings
            .push(problem("upload-pdf", format!("{name}: {e}"))),
    }
    outcome
}

/// The source file of each page, in page order.
fn page_origins<'a>(sources: &[&'a Inspected], count: usize) -> Vec<Option<&'a Inspected>> {
    let mut origins: Vec<Option<&Inspected>> = sources
        .iter()
        .flat_map(|f| std::iter::repeat_n(Some(*f), f.pages.len().max(1)))
        .collect();
    origins.resize(count, None);
    origins
}

/// A vector page's share of its file's bytes: what it will weigh in the upload PDF.
fn vector_share(file: &Option<&Inspected>) -> u64 {
    file.map_or(0, |f| f.bytes / f.pages.len().max(1) as u64)
}

/// The pages with each shrinkable one replaced by its shrunk, upright JPEG.
fn replace_images(
    pages: &[NormalisedPage],
    jpegs: &[Option<(&[u8], u8)>],
    shrunk: Vec<Vec<u8>>,
) -> Vec<NormalisedPage> {
    let mut shrunk = shrunk.into_iter();
    pages
        .iter()
        .zip(jpegs)
        .map(|(page, jpeg)| {
            let replacement = jpeg
                .and_then(|_| shrunk.next())
                .and_then(|bytes| crate::image::Image::decode(&bytes).ok());
            match replacement {
                Some(image) => NormalisedPage {
                    content: PageContent::Image {
                        image: Arc::new(image),
                        quarter_turns: 0,
                    },
                    facts: page.facts.clone(),
                },
                None => page.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_size_a_pixel_over_a_dct_scale_takes_the_dct_size() {
        assert_eq!(dct_snapped((2481, 3509), (4960, 7016)), (2480, 3508));
        assert_eq!(dct_snapped((1241, 1755), (4960, 7016)), (1240, 1754));
        assert_eq!(dct_snapped((2600, 3678), (4960, 7016)), (2600, 3678));
        assert_eq!(dct_snapped((2480, 3508), (4960, 7016)), (2480, 3508));
    }

    #[test]
    fn names_are_numbered_safe_and_counted_from_1() {
        assert_eq!(safe_name("营业执照/副本:复印件"), "营业执照_副本_复印件");
        assert_eq!(jpeg_name("03-承诺书", 0, 1), "03-承诺书.jpg");
        assert_eq!(jpeg_name("03-承诺书", 1, 3), "03-承诺书-2.jpg");
    }
}
