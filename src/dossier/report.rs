//! `dossier.json` and the short screen report: per material its status, files, problems,
//! warnings, actions and upload files; the unmatched files; the exit status.

use std::fmt::Write as _;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use super::inspect::{Finding, Severity};
use super::matching::{SlotMatch, Unmatched};
use super::DossierPlan;
use crate::catalog::Text;

/// A material's state in the dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Ready,
    Missing,
    Problem,
    NotApplicable,
}

/// One finding as the report shows it: a stable code for scripts, words for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub code: String,
    pub message: String,
}

impl From<&Finding> for Note {
    fn from(finding: &Finding) -> Note {
        Note {
            code: finding.code.to_string(),
            message: finding.message.clone(),
        }
    }
}

/// One client file of a material.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileReport {
    /// Relative to the materials folder.
    pub path: String,
    pub pages: usize,
    pub bytes: u64,
    pub problems: Vec<Note>,
    pub warnings: Vec<Note>,
    /// What was done to this file; filled when the material is this one file (otherwise
    /// the material's `actions` say it for all of its files).
    pub actions: Vec<String>,
}

/// One material of the packet, in checklist order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MaterialReport {
    pub number: usize,
    pub id: String,
    pub name: Text,
    pub status: Status,
    /// Why it does not apply (the manifest's note), when it does not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub files: Vec<FileReport>,
    /// Problems and warnings of the material as a whole (e.g. over the size limit even
    /// after conversion), besides those of its files.
    pub problems: Vec<Note>,
    pub warnings: Vec<Note>,
    pub actions: Vec<String>,
    /// Upload files, relative to the packet's folder (`upload/03-营业执照副本复印件.jpg`).
    pub upload: Vec<String>,
}

/// `dossier.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub company: String,
    pub license: String,
    pub procedure: Text,
    pub date: NaiveDate,
    /// Materials that apply and are ready, of those that apply.
    pub ready: usize,
    pub total: usize,
    /// `dossier.pdf` relative to the packet's folder, when it was made …
    pub dossier: Option<String>,
    /// … or why it could not be.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dossier_error: Option<String>,
    pub materials: Vec<MaterialReport>,
    pub unmatched: Vec<Unmatched>,
}

/// Exit status: every material that applies is ready, with no problem.
pub const EXIT_READY: i32 = 0;
/// Something is missing or has a problem; everything else is still written.
pub const EXIT_INCOMPLETE: i32 = 1;
/// A usage error: bad arguments, a company file, materials folder or manifest that cannot
/// be used, or an existing output that would be replaced without `--force`.
pub const EXIT_USAGE: i32 = 2;

impl Report {
    /// The counts and the exit status follow from the materials.
    pub fn new(
        plan: &DossierPlan,
        materials: Vec<MaterialReport>,
        unmatched: Vec<Unmatched>,
        dossier: Result<String, String>,
    ) -> Report {
        let applies = |m: &&MaterialReport| m.status != Status::NotApplicable;
        Report {
            company: plan.company.clone(),
            license: plan.license.clone(),
            procedure: plan.procedure.clone(),
            date: plan.date,
            ready: materials
                .iter()
                .filter(applies)
                .filter(|m| m.status == Status::Ready)
                .count(),
            total: materials.iter().filter(applies).count(),
            dossier: dossier.as_ref().ok().cloned(),
            dossier_error: dossier.err(),
            materials,
            unmatched,
        }
    }

    /// 0 when every material that applies is ready and the bound copy was made, else 1.
    pub fn exit_status(&self) -> i32 {
        if self.ready == self.total && self.dossier.is_some() {
            EXIT_READY
        } else {
            EXIT_INCOMPLETE
        }
    }

    /// The short screen report: one line per material with its files, then the unmatched
    /// files. `folder` is the materials folder and `packet_dir` the packet's output folder,
    /// so every path printed can be opened as it is.
    pub fn screen(&self, folder: &Path, packet_dir: &Path) -> String {
        let mut out = format!(
            "{} {} {}: {} of {} ready\n",
            self.company, self.license, self.procedure.zh, self.ready, self.total
        );
        for m in &self.materials {
            let _ = write!(
                out,
                "  {:02} {:<14} {}",
                m.number,
                status_word(m.status),
                m.name.zh
            );
            if let Some(note) = &m.note {
                let _ = write!(out, " ({note})");
            }
            out.push('\n');
            for f in &m.files {
                let _ = writeln!(out, "       {}", folder.join(&f.path).display());
                for note in &f.problems {
                    let _ = writeln!(out, "         problem: {}", note.message);
                }
                for note in &f.warnings {
                    let _ = writeln!(out, "         warning: {}", note.message);
                }
            }
            for note in &m.problems {
                let _ = writeln!(out, "       problem: {}", note.message);
            }
            for note in &m.warnings {
                let _ = writeln!(out, "       warning: {}", note.message);
            }
            for upload in &m.upload {
                let _ = writeln!(out, "       → {}", packet_dir.join(upload).display());
            }
        }
        for u in &self.unmatched {
            let path = folder.join(u.path.trim_end_matches('/'));
            let _ = writeln!(out, "  unmatched {}: {}", path.display(), u.reason);
        }
        if let Some(path) = &self.dossier {
            let _ = writeln!(out, "  → {}", packet_dir.join(path).display());
        }
        if let Some(why) = &self.dossier_error {
            let _ = writeln!(out, "  dossier.pdf not written: {why}");
        }
        out
    }
}

pub fn status_word(status: Status) -> &'static str {
    match status {
        Status::Ready => "ready",
        Status::Missing => "missing",
        Status::Problem => "problem",
        Status::NotApplicable => "not-applicable",
    }
}

/// The status of a material from what was found of it: the file problems (inspection and
/// review) and the material's own (normalisation).
pub fn status_of(found: &SlotMatch, files: &[FileReport], own_problems: &[Note]) -> Status {
    match found {
        SlotMatch::NotApplicable { .. } => Status::NotApplicable,
        SlotMatch::Missing => Status::Missing,
        SlotMatch::Files(_) => {
            if own_problems.is_empty() && files.iter().all(|f| f.problems.is_empty()) {
                Status::Ready
            } else {
                Status::Problem
            }
        }
    }
}

/// Splits findings into problems and warnings.
pub fn notes(findings: &[Finding]) -> (Vec<Note>, Vec<Note>) {
    let (problems, warnings): (Vec<&Finding>, Vec<&Finding>) = findings
        .iter()
        .partition(|f| f.severity == Severity::Problem);
    (
        problems.into_iter().map(Note::from).collect(),
        warnings.into_iter().map(Note::from).collect(),
    )
}
