//! `licpack generate`: one company file → its packets. Every packet is built in memory first,
//! so an error in any of them writes nothing for that company. With `--watch` ([`watch`]) the
//! same run repeats on every change of its inputs.

mod watch;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::args::GenerateArgs;
use super::{engine, report, with_agency, EXIT_INVALID};
use licpack::dossier::checklist::{self, Contradiction, Readiness};
use licpack::output::{packet_path, write_atomic, WriteOutcome};
use licpack::plan::{plan, Selection};

#[derive(Serialize)]
struct Report {
    path: String,
    license: String,
    procedure: String,
    format: &'static str,
    /// `None` for DOCX, which the word processor paginates.
    pages: Option<usize>,
    bytes: usize,
    outcome: WriteOutcome,
    /// With --materials: the packet's readiness from the folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    readiness: Option<Readiness>,
    /// With --materials: typed `[materials]` statuses the folder contradicts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    contradictions: Vec<Contradiction>,
}

pub fn run(args: GenerateArgs) -> i32 {
    if args.watch {
        return watch::run(&args);
    }
    generate(&args, &mut Written::default())
}

/// The files this process wrote and the hash of what it wrote: a watch may replace them
/// without --force as long as nobody else has changed them since.
#[derive(Default)]
struct Written(HashMap<PathBuf, [u8; 32]>);

impl Written {
    fn hash(bytes: &[u8]) -> [u8; 32] {
        Sha256::digest(bytes).into()
    }

    /// Whether `path` still holds exactly what this process last wrote there.
    fn is_ours(&self, path: &Path) -> bool {
        let Some(ours) = self.0.get(path) else {
            return false;
        };
        std::fs::read(path).is_ok_and(|now| Self::hash(&now) == *ours)
    }

    fn record(&mut self, path: &Path, bytes: &[u8]) {
        self.0.insert(path.to_path_buf(), Self::hash(bytes));
    }
}

/// One run of `generate`: builds every packet, then writes them (replacing a file only with
/// --force or when `ours` says this process wrote it).
fn generate(args: &GenerateArgs, ours: &mut Written) -> i32 {
    let Ok(mut engine) = engine(args.templates.as_deref()) else {
        return EXIT_INVALID;
    };
    if let Err(code) = with_agency(&mut engine, args.agency.as_deref()) {
        return code;
    }
    let company = match engine.load_company(&args.company) {
        Ok(c) => c,
        Err(diags) => {
            report(diags);
            return EXIT_INVALID;
        }
    };
    let today = args
        .date
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let selection = Selection {
        procedure: args.procedure.clone(),
        license: args.license.clone(),
    };
    let mut plans = match plan(&company, &engine.catalog, today, &selection) {
        Ok(p) => p,
        Err(e) => {
            report(format!("{}: error: {e}", args.company.display()));
            return EXIT_INVALID;
        }
    };
    if let Some(folder) = &args.materials {
        if let Err(message) = super::cmd_dossier::check_folders(folder, &args.out) {
            report(message);
            return EXIT_INVALID;
        }
        let mut unmatched: Option<Vec<_>> = None;
        for p in &mut plans {
            match checklist::with_folder(p, &engine.catalog, today, folder) {
                // Files of no material in any packet are worth a note; one that belongs to
                // another packet's material is not.
                Ok(these) => match &mut unmatched {
                    Some(all) => all.retain(|u| these.contains(u)),
                    None => unmatched = Some(these),
                },
                Err(e) => {
                    report(format!("{}: error: {e}", args.company.display()));
                    return EXIT_INVALID;
                }
            }
        }
        for u in unmatched.unwrap_or_default() {
            let path = folder.join(u.path.trim_end_matches('/'));
            report(format!(
                "note: {} belongs to no material: {}",
                path.display(),
                u.reason
            ));
        }
        for p in &plans {
            for c in checklist::contradictions(p) {
                report(format!("{}: warning: {c}", args.company.display()));
            }
        }
    }
    if let Err(e) = licpack::output::ensure_writable(&args.out) {
        report(format!("error: {e}"));
        return EXIT_INVALID;
    }
    let formats = args.formats.to_formats();
    let mut built = Vec::with_capacity(plans.len());
    for p in &plans {
        match engine.build_formats(p, args.lang.to_lang(), &formats) {
            Ok(b) => built.push((p, b)),
            Err(e) => {
                report(format!(
                    "{}: error in the {} packet for {}: {e}",
                    args.company.display(),
                    p.procedure.id,
                    p.license.number
                ));
                return EXIT_INVALID;
            }
        }
    }
    let mut written = Vec::new();
    let mut failed = false;
    for (p, outputs) in built {
        let pdf_path = packet_path(&args.out, &company, &p.file_stem);
        for o in outputs {
            let path = o.format.path(&pdf_path);
            let force = args.force || ours.is_ours(&path);
            match write_atomic(&path, &o.bytes, force) {
                Ok(outcome) => {
                    ours.record(&path, &o.bytes);
                    written.push(Report {
                        path: path.display().to_string(),
                        license: p.license.number.clone(),
                        procedure: p.procedure.id.clone(),
                        format: o.format.extension(),
                        pages: o.pages,
                        bytes: o.bytes.len(),
                        outcome,
                        readiness: checklist::readiness(p),
                        contradictions: checklist::contradictions(p),
                    });
                }
                Err(e) => {
                    report(format!("error: {e}"));
                    failed = true;
                }
            }
        }
    }
    print_written(&written, args.json);
    if failed {
        EXIT_INVALID
    } else {
        0
    }
}

fn print_written(written: &[Report], json: bool) {
    if json {
        outln!(
            "{}",
            serde_json::to_string_pretty(written).unwrap_or_default()
        );
        return;
    }
    for w in written {
        let what = match w.outcome {
            WriteOutcome::Created => "wrote",
            WriteOutcome::Replaced => "replaced",
            WriteOutcome::Unchanged => "unchanged",
        };
        let kb = w.bytes.div_ceil(1024);
        match w.pages {
            Some(pages) => outln!("{what} {} ({pages} pages, {kb} KB)", w.path),
            None => outln!("{what} {} ({kb} KB)", w.path),
        }
    }
}
