//! The bound copy (`dossier.pdf`): a cover and a 目录 set by the layout engine, then every
//! material's pages in checklist order, each page stamped 第 N 页 共 M 页 where it covers no
//! content, one bookmark per material; written by the one PDF writer (`crate::pdf`).

use super::normalise::NormalisedPage;
use super::report::Status;
use super::{DossierPlan, Slot};
use crate::packet::Engine;

/// One material of the bound copy; `pages` is empty for a missing one (marked 缺 in the 目录).
pub struct Part<'a> {
    pub slot: &'a Slot,
    pub status: Status,
    pub pages: &'a [NormalisedPage],
}

/// Choices for the bound copy.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A separator page before each material.
    pub separators: bool,
    /// Print 本复印件与原件一致 on the pages of materials that are copies.
    pub copy_marks: bool,
}

/// The bound copy's bytes and where each material starts.
#[derive(Debug, Clone)]
pub struct Assembled {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// 1-based first page of each part, as printed in the 目录 and stamps; None when missing.
    pub first_pages: Vec<Option<usize>>,
}

#[derive(Debug, thiserror::Error)]
pub enum AssembleError {
    #[error("the dossier could not be written: {0}")]
    Pdf(String),
}

/// Sets the cover, the 目录 and every part's pages into `dossier.pdf`.
pub fn dossier(
    plan: &DossierPlan,
    parts: &[Part],
    engine: &Engine,
    options: &Options,
) -> Result<Assembled, AssembleError> {
    let _ = (plan, parts, engine, options);
    Err(AssembleError::Pdf("assembly is not built yet".into()))
}

/// A PDF of `pages` alone, each fitted upright to its own size, without stamps: the upload
/// file of a material that has more than ten image pages or comes as a PDF.
pub fn pages_pdf(pages: &[NormalisedPage], title: &str) -> Result<Vec<u8>, AssembleError> {
    let _ = (pages, title);
    Err(AssembleError::Pdf("assembly is not built yet".into()))
}
