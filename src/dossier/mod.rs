//! The dossier stage: from the files a client hands over to what is uploaded and what is
//! bound (`DESIGN.md` §1, "Dossier"; the rules in `domain.md` §12).
//!
//! One direction, one job per step, typed hand-offs:
//!
//! 1. [`slots`]: a [`PacketPlan`](crate::plan::PacketPlan) → [`DossierPlan`]: the materials
//!    that apply, numbered as on the checklist, with their flags (colour scan needed, a copy,
//!    a letter of this packet) and the upload rules of the authority ([`rules`]).
//! 2. [`matching`]: the materials folder → which files belong to which slot
//!    ([`matching::Matching`]): a written contract (`docs/dossier.md`), never a guess.
//! 3. [`inspect`]: each matched file, read once → [`inspect::Inspected`] facts (format,
//!    pages, pixels, colour, dpi, orientation, encryption) and the file's own problems.
//! 4. [`review`]: facts + what the slot needs → problems and warnings (colour, dpi, blank,
//!    unsigned draft, letter date).
//! 5. [`normalise`]: pages → what the rules accept: upright, RGB or gray, within the size
//!    limit; a JPEG that already complies is kept byte for byte ([`normalise::Normalised`]).
//! 6. [`assemble`]: the bound copy: cover and 目录 set by our layout engine, every page
//!    stamped 第 N 页 共 M 页, one bookmark per material; written by the one PDF writer.
//! 7. [`report`]: `dossier.json` and the short screen report; the exit status;
//!    [`output`] writes a packet's dossier.
//!
//! Besides: [`folder_status`] and [`checklist`], the folder's facts for the checklist's
//! status column (`generate --materials`, batch clients with a materials folder) and the
//! batch summary's readiness.

pub mod assemble;
pub mod checklist;
pub mod inspect;
pub mod matching;
pub mod normalise;
pub mod output;
pub mod report;
pub mod review;
pub mod rules;
pub mod slots;

pub use slots::{DossierPlan, Slot};

use std::path::Path;

use assemble::{Options, Part};
use inspect::Inspected;
use matching::{MatchError, SlotMatch};
use normalise::{Normalised, UploadFile};
use report::{FileReport, MaterialReport, Report, Status};

/// What one packet's dossier is, in memory: the report, the bound copy and the upload
/// files; the CLI writes them.
pub struct Dossier {
    pub report: Report,
    /// `dossier.pdf`, when it could be assembled.
    pub pdf: Option<crate::pdf::PdfFile>,
    /// Every material's upload files, in checklist order.
    pub upload: Vec<UploadFile>,
}

/// The bound copy's name in the packet's folder.
pub const DOSSIER_PDF: &str = "dossier.pdf";
/// The upload files' folder in the packet's folder.
pub const UPLOAD_DIR: &str = "upload";

/// Runs the steps for one packet: matching → inspection → review → normalisation →
/// assembly, then the report. Only a folder or manifest that cannot be read stops it; a
/// file's trouble is that file's problem, and a failed assembly is reported in the report.
pub fn run(
    plan: &DossierPlan,
    folder: &Path,
    engine: &crate::packet::Engine,
    options: &Options,
) -> Result<Dossier, MatchError> {
    let matching = matching::match_folder(folder, plan)?;
    // Materials, and the files of each, are read in parallel: reading is mostly entropy
    // decoding of JPEG scans, one core per file.
    use rayon::prelude::*;
    let mut prepared: Vec<Prepared> = plan
        .slots
        .par_iter()
        .zip(&matching.slots)
        .map(|(slot, found)| prepare(slot, found, plan))
        .collect();
    let upload: Vec<UploadFile> = prepared
        .iter_mut()
        .filter(|p| p.report.status == Status::Ready)
        .flat_map(|p| std::mem::take(&mut p.normalised.upload))
        .collect();
    let parts: Vec<Part> = plan
        .slots
        .iter()
        .zip(&prepared)
        .map(|(slot, p)| Part {
            slot,
            status: p.report.status,
            pages: if p.report.status == Status::Ready {
                &p.normalised.pages
            } else {
                &[]
            },
        })
        .collect();
    // The scans are spliced into the file, not copied (`pdf::PdfFile`): assembling is the
    // cover, the 目录 and the page tree, a few milliseconds.
    let (pdf, dossier) = match assemble::dossier(plan, &parts, engine, options) {
        Ok(a) => (Some(a.pdf), Ok(DOSSIER_PDF.to_string())),
        Err(e) => (None, Err(e.to_string())),
    };
    drop(parts);
    let materials = prepared.into_iter().map(|p| p.report).collect();
    let report = Report::new(plan, materials, matching.unmatched, dossier);
    Ok(Dossier {
        report,
        pdf,
        upload,
    })
}

/// One material after inspection, review and normalisation.
struct Prepared {
    report: MaterialReport,
    normalised: Normalised,
}

fn prepare(slot: &Slot, found: &SlotMatch, plan: &DossierPlan) -> Prepared {
    let (inspected, mut files) = inspect_slot(slot, found, plan);
    let normalised = if inspected.is_empty() {
        Normalised {
            pages: Vec::new(),
            upload: Vec::new(),
            actions: Vec::new(),
            findings: Vec::new(),
        }
    } else {
        normalise::normalise(slot, &inspected, &plan.rules)
    };
    let (mut problems, warnings) = report::notes(&normalised.findings);
    let mut status = report::status_of(found, &files, &problems);
    if status == Status::Ready && normalised.pages.is_empty() {
        // Nothing usable came out of files without a stated problem: never call it ready.
        status = Status::Problem;
        problems.push(report::Note {
            code: "no-pages".into(),
            message: "no page could be prepared from these files".into(),
        });
    }
    if let [only] = &mut files[..] {
        only.actions = normalised.actions.clone();
    }
    let note = match found {
        SlotMatch::NotApplicable { note } => note.clone(),
        _ => None,
    };
    let report = MaterialReport {
        number: slot.number,
        id: slot.id.clone(),
        name: slot.name.clone(),
        status,
        note,
        files,
        problems,
        warnings,
        actions: normalised.actions.clone(),
        upload: normalised
            .upload
            .iter()
            .filter(|_| status == Status::Ready)
            .map(|u| format!("{UPLOAD_DIR}/{}", u.name))
            .collect(),
    };
    Prepared { report, normalised }
}

/// Inspects and reviews the files found for `slot`: the facts, and each file's report.
fn inspect_slot(
    slot: &Slot,
    found: &SlotMatch,
    plan: &DossierPlan,
) -> (Vec<Inspected>, Vec<FileReport>) {
    let inspected: Vec<Inspected> = match found {
        SlotMatch::Files(files) => {
            use rayon::prelude::*;
            files.par_iter().map(inspect::inspect).collect()
        }
        _ => Vec::new(),
    };
    let files = inspected
        .iter()
        .map(|file| {
            let mut findings = file.findings.clone();
            findings.extend(review::review(slot, file, plan));
            let (problems, warnings) = report::notes(&findings);
            FileReport {
                path: file.file.display.clone(),
                pages: file.pages.len(),
                bytes: file.bytes,
                problems,
                warnings,
                actions: Vec::new(),
            }
        })
        .collect();
    (inspected, files)
}

/// A material's state as the checklist shows it: from matching and inspection alone (no
/// normalisation or assembly), so `generate --materials` and `batch` stay cheap.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FolderStatus {
    pub id: String,
    pub status: Status,
    /// The material's files (paths relative to the folder) and their pages in all.
    pub files: Vec<String>,
    pub pages: usize,
    /// The first problem, in words, when the status is `problem`; the note of a material
    /// that does not apply.
    pub reason: Option<String>,
}

/// Every slot's state from the files in `folder`, in plan order, and the unmatched files.
pub fn folder_status(
    plan: &DossierPlan,
    folder: &Path,
) -> Result<(Vec<FolderStatus>, Vec<matching::Unmatched>), MatchError> {
    let matching = matching::match_folder(folder, plan)?;
    let statuses = plan
        .slots
        .iter()
        .zip(&matching.slots)
        .map(|(slot, found)| {
            let (_, files) = inspect_slot(slot, found, plan);
            let status = report::status_of(found, &files, &[]);
            let reason = match found {
                SlotMatch::NotApplicable { note } => note.clone(),
                _ => files
                    .iter()
                    .flat_map(|f| &f.problems)
                    .next()
                    .map(|n| n.message.clone()),
            };
            FolderStatus {
                id: slot.id.clone(),
                status,
                pages: files.iter().map(|f| f.pages).sum(),
                files: files.into_iter().map(|f| f.path).collect(),
                reason,
            }
        })
        .collect();
    Ok((statuses, matching.unmatched))
}

#[cfg(test)]
mod tests {
    use super::*;
    use matching::tests::{folder, plan};

    #[test]
    fn the_folder_status_says_missing_not_applicable_and_problems_with_reasons() {
        let dir = folder(&[
            "02 营业执照.jpg",
            "原经营许可证正副本/1.jpg",
            "原经营许可证正副本/2.jpg",
        ]);
        std::fs::write(
            dir.path().join(matching::MANIFEST),
            "[not_applicable]\naudit = \"不适用\"\n",
        )
        .unwrap();
        let (statuses, unmatched) = folder_status(&plan(), dir.path()).unwrap();
        assert!(unmatched.is_empty());
        let by_id = |id: &str| statuses.iter().find(|s| s.id == id).unwrap();
        assert_eq!(by_id("renewal-application-form").status, Status::Missing);
        let audit = by_id("audit");
        assert_eq!(audit.status, Status::NotApplicable);
        assert_eq!(audit.reason.as_deref(), Some("不适用"));
        let licence = by_id("original-licence");
        assert_eq!(
            licence.files,
            ["原经营许可证正副本/1.jpg", "原经营许可证正副本/2.jpg"]
        );
        // Whatever the readers say of these two-byte files, a file that is not an image
        // is a problem of its material, with the reader's words.
        assert_eq!(licence.status, Status::Problem);
        assert!(licence.reason.as_deref().is_some_and(|r| !r.is_empty()));
    }
}
