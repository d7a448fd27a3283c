//! `licpack dossier`: one company file and the client's materials folder → for each packet
//! its `upload/` files, `dossier.pdf` and `dossier.json` under
//! `OUT/<company-dir>/<licence>-<procedure>/`, and the short report on screen. The steps are
//! `licpack::dossier::run`'s; this module only chooses packets, writes and prints.
//!
//! Upload files a previous run wrote are known from that run's `dossier.json`: one that no
//! longer belongs is removed; any other file in `upload/` is left alone and reported.

use std::path::{Path, PathBuf};

use super::args::DossierArgs;
use super::{engine, report, with_agency};
use licpack::dossier::report::{EXIT_INCOMPLETE, EXIT_READY, EXIT_USAGE};
use licpack::dossier::{assemble, DossierPlan, DOSSIER_PDF, UPLOAD_DIR};
use licpack::output::{company_dir_name, sanitize_component, write_atomic};
use licpack::plan::{plan, Selection};

/// The report's file name in the packet's folder.
const DOSSIER_JSON: &str = "dossier.json";

pub fn run(args: DossierArgs) -> i32 {
    return_large_buffers();
    match run_checked(&args) {
        Ok(status) => status,
        Err(message) => {
            report(message);
            EXIT_USAGE
        }
    }
}

/// Page buffers of large scans (26 MB for a 300-dpi A4 page in RGB, decoded on two threads
/// at once) are allocated and freed many times; glibc's mmap threshold grows with each freed
/// one until they come from per-thread heaps that keep the freed memory. A fixed 1 MB
/// threshold hands them back on free: the peak RSS on a 10-page 600-dpi scan falls from
/// about 360 MB to about 180 MB (tests/dossier_memory.rs bounds it at 300 MB).
fn return_large_buffers() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

/// The exit status, or the message of a usage error.
fn run_checked(args: &DossierArgs) -> Result<i32, String> {
    check_folders(&args.materials, &args.out)?;
    let Ok(mut engine) = engine(args.templates.as_deref()) else {
        return Ok(EXIT_USAGE);
    };
    if with_agency(&mut engine, args.agency.as_deref()).is_err() {
        return Ok(EXIT_USAGE);
    }
    let company = match engine.load_company(&args.company) {
        Ok(c) => c,
        Err(diags) => return Err(diags.to_string()),
    };
    let today = args
        .date
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let selection = Selection {
        procedure: args.procedure.clone(),
        license: args.license.clone(),
    };
    let plans = plan(&company, &engine.catalog, today, &selection)
        .map_err(|e| format!("{}: error: {e}", args.company.display()))?;
    let options = assemble::Options {
        separators: args.separators,
        copy_marks: args.copy_marks,
    };
    let company_dir = args.out.join(company_dir_name(&company));
    let mut reports = Vec::new();
    let mut status = EXIT_READY;
    for packet in &plans {
        let plan = DossierPlan::from_packet(packet, &engine.catalog, today);
        let dossier = licpack::dossier::run(&plan, &args.materials, &engine, &options)
            .map_err(|e| e.to_string())?;
        let packet_dir = company_dir.join(sanitize_component(&plan.file_stem));
        write_dossier(&packet_dir, &dossier, args.force)?;
        if dossier.report.exit_status() != EXIT_READY {
            status = EXIT_INCOMPLETE;
        }
        if !args.json {
            out!("{}", dossier.report.screen(&args.materials, &packet_dir));
        }
        reports.push(dossier.report);
    }
    if args.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&reports).unwrap_or_default()
        );
    }
    Ok(status)
}

/// The materials folder must be a folder, and the output must not be inside it: the
/// client's folder is never modified.
fn check_folders(materials: &Path, out: &Path) -> Result<(), String> {
    if !materials.is_dir() {
        return Err(format!(
            "error: {} is not a folder; give --materials the folder of the client's files",
            materials.display()
        ));
    }
    let canonical_materials = materials.canonicalize().map_err(|e| e.to_string())?;
    if nearest_existing(out).starts_with(&canonical_materials) {
        return Err(format!(
            "error: --out {} is inside the materials folder {}, which licpack never writes to; \
             choose an output folder elsewhere",
            out.display(),
            materials.display()
        ));
    }
    Ok(())
}

/// `path` made absolute through its nearest existing ancestor (the output may not exist yet).
fn nearest_existing(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        let (Some(parent), Some(name)) = (existing.parent(), existing.file_name()) else {
            break;
        };
        rest.push(name.to_owned());
        existing = parent;
    }
    let mut resolved = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    resolved.extend(rest.iter().rev());
    resolved
}

/// Writes the upload files, the bound copy and the report (last, so it describes what is
/// on disk), then removes upload files of an earlier run that no longer belong.
fn write_dossier(
    packet_dir: &Path,
    dossier: &licpack::dossier::Dossier,
    force: bool,
) -> Result<(), String> {
    let written_before = previous_uploads(&packet_dir.join(DOSSIER_JSON));
    let upload_dir = packet_dir.join(UPLOAD_DIR);
    let write = |path: PathBuf, bytes: &[u8]| {
        write_atomic(&path, bytes, force).map_err(|e| format!("error: {e}"))
    };
    for file in &dossier.upload {
        write(upload_dir.join(&file.name), &file.bytes)?;
    }
    if let Some(pdf) = &dossier.pdf {
        write(packet_dir.join(DOSSIER_PDF), pdf)?;
    }
    let mut json = serde_json::to_string_pretty(&dossier.report).map_err(|e| e.to_string())?;
    json.push('\n');
    write(packet_dir.join(DOSSIER_JSON), json.as_bytes())?;
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
