//! `dossier.json` and the short screen report: per material its status, files, problems,
//! warnings, actions and upload files; the unmatched files; the exit status.

use serde::Serialize;

/// A material's state in the dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Ready,
    Missing,
    Problem,
    NotApplicable,
}
