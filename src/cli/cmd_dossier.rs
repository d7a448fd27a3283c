//! `licpack dossier`: one company file and the client's materials folder → for each packet
//! its `upload/` files, `dossier.pdf` and `dossier.json` under
//! `OUT/<company-dir>/<licence>-<procedure>/`, and the short report on screen. The steps are
//! `licpack::dossier::run`'s; this module only chooses packets, writes and prints.
//!
//! Writing is `licpack::dossier::output`'s (shared with `batch --dossier`).

use std::path::{Path, PathBuf};

use super::args::DossierArgs;
use super::{engine, report, with_agency};
use licpack::company::Company;
use licpack::dossier::report::{EXIT_INCOMPLETE, EXIT_READY, EXIT_USAGE};
use licpack::dossier::{assemble, output, DossierPlan};
use licpack::plan::{plan, Selection};

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
/// about 360 MB to about 180 MB (tests/it/dossier_memory.rs bounds it at 300 MB).
fn return_large_buffers() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

/// The exit status, or the message of a usage error.
fn run_checked(args: &DossierArgs) -> Result<i32, String> {
    if let Some(materials) = &args.materials {
        check_folders(materials, &args.out)?;
    }
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
    let materials = match &args.materials {
        Some(folder) => folder.clone(),
        None => {
            let folder = default_materials(&company, &args.company)?;
            check_folders(&folder, &args.out)?;
            folder
        }
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
    let mut reports = Vec::new();
    let mut status = EXIT_READY;
    for packet in &plans {
        let plan = DossierPlan::from_packet(packet, &engine.catalog, today);
        let packet_dir = output::packet_dir(&args.out, &company, &plan.file_stem);
        let dossier = licpack::dossier::run(&plan, &materials, &engine, &options)
            .map_err(|e| e.to_string())?;
        output::write(&packet_dir, &dossier, args.force).map_err(|e| format!("error: {e}"))?;
        if dossier.report.exit_status() != EXIT_READY {
            status = EXIT_INCOMPLETE;
        }
        if !args.json {
            out!("{}", dossier.report.screen(&materials, &packet_dir));
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
/// The materials folder when `--materials` is not given: the one the company file names,
/// else the one beside it (as `batch` finds them).
fn default_materials(company: &Company, file: &Path) -> Result<PathBuf, String> {
    if let Some(folder) = &company.materials_folder {
        if !folder.is_dir() {
            return Err(format!(
                "{}: error: [client] materials_folder names {}, which is not a folder; \
                 correct the path (relative to the company file) or give --materials DIR",
                file.display(),
                folder.display()
            ));
        }
        return Ok(folder.clone());
    }
    licpack::batch::materials_folder(file).ok_or_else(|| {
        format!(
            "error: no materials folder for {}: give --materials DIR, put the files in \
             {} beside it, or name the folder in the company file ([client] \
             materials_folder = \"DIR\")",
            file.display(),
            licpack::batch::beside_materials_folder(file).display()
        )
    })
}

pub(super) fn check_folders(materials: &Path, out: &Path) -> Result<(), String> {
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
