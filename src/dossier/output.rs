//! Writes one packet's dossier into its folder (`OUT/<company-dir>/<licence>-<procedure>/`):
//! the upload files, `dossier.pdf`, then `dossier.json` (last, so it describes what is on
//! disk); upload files an earlier run recorded that no longer belong are removed, any other
//! file in `upload/` is left alone. Shared by the `dossier` command and `batch --dossier`.

use std::path::{Path, PathBuf};

use super::{Dossier, UploadFile, DOSSIER_PDF, UPLOAD_DIR};
use crate::output::{
    company_dir_name, sanitize_component, write_atomic, write_atomic_parts, OutputError,
};

/// The report's file name in the packet's folder.
pub const DOSSIER_JSON: &str = "dossier.json";

/// Why a dossier could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error("cannot encode the report: {0}")]
    Json(#[from] serde_json::Error),
}

/// The packet's dossier folder under `out`, the same for `dossier` and `batch --dossier`.
pub fn packet_dir(out: &Path, company: &crate::company::Company, file_stem: &str) -> PathBuf {
    out.join(company_dir_name(company))
        .join(sanitize_component(file_stem))
}

/// Writes `dossier` into `packet_dir`; an existing file with other content is replaced only
/// with `force`. The upload files and `dossier.pdf` are written side by side (on a 20-scan
/// dossier that is 50 MB, each file synced: the disk, not the CPU, is the wait), then
/// `dossier.json`, last, so it describes what is on disk.
pub fn write(packet_dir: &Path, dossier: &Dossier, force: bool) -> Result<(), WriteError> {
    let written_before = previous_uploads(&packet_dir.join(DOSSIER_JSON));
    let (uploads, bound_copy) = rayon::join(
        || write_uploads(packet_dir, &dossier.upload, force),
        || write_bound_copy(packet_dir, dossier, force),
    );
    uploads?;
    bound_copy?;
    write_report(packet_dir, dossier, force, &written_before)
}

/// The upload files, into `packet_dir/upload/`, in parallel.
fn write_uploads(packet_dir: &Path, upload: &[UploadFile], force: bool) -> Result<(), WriteError> {
    use rayon::prelude::*;
    let upload_dir = packet_dir.join(UPLOAD_DIR);
    upload.par_iter().try_for_each(|file| {
        write_atomic(&upload_dir.join(&file.name), &file.bytes, force)
            .map(|_| ())
            .map_err(WriteError::from)
    })
}

/// `dossier.pdf`, from its parts (the scans are never joined into one buffer).
fn write_bound_copy(packet_dir: &Path, dossier: &Dossier, force: bool) -> Result<(), WriteError> {
    if let Some(pdf) = &dossier.pdf {
        write_atomic_parts(&packet_dir.join(DOSSIER_PDF), &pdf.parts(), force)?;
    }
    Ok(())
}

/// `dossier.json`, then the removal of the upload files an earlier run wrote (as its report
/// recorded) that this one no longer has.
fn write_report(
    packet_dir: &Path,
    dossier: &Dossier,
    force: bool,
    written_before: &[String],
) -> Result<(), WriteError> {
    let upload_dir = packet_dir.join(UPLOAD_DIR);
    let mut json = serde_json::to_string_pretty(&dossier.report)?;
    json.push('\n');
    write_atomic(&packet_dir.join(DOSSIER_JSON), json.as_bytes(), force)?;
    let current: Vec<String> = dossier
        .report
        .materials
        .iter()
        .flat_map(|m| m.upload.iter().cloned())
        .collect();
    for stale in written_before.iter().filter(|p| !current.contains(p)) {
        // Only names an earlier run recorded, and only inside upload/.
        if let Some(name) = stale.strip_prefix(&format!("{UPLOAD_DIR}/")) {
            if !name.contains(['/', '\\']) && name != ".." {
                let _ = std::fs::remove_file(upload_dir.join(name));
            }
        }
    }
    Ok(())
}

/// The upload paths an earlier run recorded in its `dossier.json` (none when there is no
/// readable one).
fn previous_uploads(json: &Path) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Material {
        #[serde(default)]
        upload: Vec<String>,
    }
    #[derive(serde::Deserialize)]
    struct Previous {
        #[serde(default)]
        materials: Vec<Material>,
    }
    std::fs::read(json)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Previous>(&bytes).ok())
        .map(|p| p.materials.into_iter().flat_map(|m| m.upload).collect())
        .unwrap_or_default()
}
