//! Pairs the files of a client's materials folder with the slots, by the written contract of
//! `docs/dossier.md`: names (minus a leading number) that start with a material's Chinese
//! name, its id or an alias; folders as one material's pages; an optional `materials.toml`
//! manifest. A name that fits two materials is ambiguous; one that fits none is unmatched.

use std::path::PathBuf;

use serde::Serialize;

/// A file handed over by the client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceFile {
    /// Where to read it.
    #[serde(skip)]
    pub path: PathBuf,
    /// The path relative to the materials folder, `/`-separated, for reports.
    pub display: String,
}

/// What the folder holds for one slot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum SlotMatch {
    /// The files, in page order.
    Files(Vec<SourceFile>),
    /// The manifest marks the material as not applicable.
    NotApplicable {
        note: Option<String>,
    },
    Missing,
}

/// A file that belongs to no slot, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unmatched {
    pub path: String,
    pub reason: String,
}

/// The folder, sorted out: one entry per slot of the plan, in the plan's order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Matching {
    pub slots: Vec<SlotMatch>,
    pub unmatched: Vec<Unmatched>,
}
