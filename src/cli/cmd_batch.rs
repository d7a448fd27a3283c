//! `licpack batch`: every client of a folder or manifest, in parallel, with progress, one
//! failing client never stopping the others; summaries at the end.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};

use indicatif::{ProgressBar, ProgressStyle};

use super::args::BatchArgs;
use super::{engine, report, with_agency, EXIT_INVALID};
use licpack::batch::{
    discover, run_all, write_summaries, BatchOptions, Input, MaterialsOptions, Row, RowStatus,
};

pub fn run_cmd(args: BatchArgs) -> i32 {
    let Ok(mut engine) = engine(args.templates.as_deref()) else {
        return EXIT_INVALID;
    };
    // An agency.toml in the input folder brands the whole batch unless --agency says otherwise.
    let found = args.input.join(licpack::agency::AGENCY_FILE);
    let agency = args
        .agency
        .clone()
        .or_else(|| (args.input.is_dir() && found.is_file()).then_some(found));
    if let Err(code) = with_agency(&mut engine, agency.as_deref()) {
        return code;
    }
    let (mut inputs, mut loaded) = if licpack::sheet::is_book(&args.input) {
        match super::cmd_book::clients(&engine, &args.input) {
            Ok(clients) => clients,
            Err(code) => return code,
        }
    } else {
        match discover(&args.input) {
            Ok(i) => (i, None),
            Err(e) => {
                report(format!("error: {e}"));
                return EXIT_INVALID;
            }
        }
    };
    if let Some(shard) = args.shard {
        let keep: Vec<bool> = inputs.iter().map(|i| shard.contains(i)).collect();
        let mut kept = keep.iter();
        inputs.retain(|_| *kept.next().unwrap_or(&false));
        if let Some(loaded) = &mut loaded {
            let mut kept = keep.iter();
            loaded.companies.retain(|_| *kept.next().unwrap_or(&false));
            let mut kept = keep.iter();
            loaded.folders.retain(|_| *kept.next().unwrap_or(&false));
        }
    }
    let opts = BatchOptions {
        out: args.out.clone(),
        jobs: args.jobs,
        today: args
            .date
            .unwrap_or_else(|| chrono::Local::now().date_naive()),
        lang: args.lang.to_lang(),
        force: args.force,
    };
    if let Err(e) = licpack::output::ensure_writable(&args.out) {
        report(format!("error: {e}"));
        return EXIT_INVALID;
    }
    let progress = Progress::new(inputs.len(), args.quiet);
    let formats = args.formats.to_formats();
    let on_done = |input: &Input, rows: &[Row]| progress.done(input, rows);
    let materials = MaterialsOptions {
        dossier: args.dossier,
        assemble: licpack::dossier::assemble::Options {
            separators: args.separators,
            copy_marks: args.copy_marks,
        },
        // A book names each client's folder; a company file has it beside it.
        folders: loaded.as_ref().map(|l| l.folders.clone()),
    };
    let companies = loaded.as_ref().map(|l| l.companies.as_slice());
    let report_ = run_all(
        &engine,
        &inputs,
        companies,
        (&opts, &formats, &materials),
        &on_done,
    );
    progress.finish();
    for row in report_
        .rows
        .iter()
        .filter(|r| r.status == RowStatus::Failed)
    {
        report(format!(
            "failed: {}",
            row.error.as_deref().unwrap_or("unknown error")
        ));
    }
    let summaries = write_summaries(&engine, &report_, &args.out, opts.today);
    match summaries {
        Ok(files) => {
            if !args.quiet {
                for (path, _) in files.written {
                    errln!("summary: {}", path.display());
                }
            }
        }
        Err(e) => {
            report(format!("error: cannot write the summaries: {e}"));
            return EXIT_INVALID;
        }
    }
    let failed = report_.failed_inputs();
    let readiness = readiness_line(&report_.rows, args.dossier);
    outln!(
        "{} clients: {} packets written, {} replaced, {} unchanged; {} clients failed{readiness}",
        inputs.len(),
        report_.count(RowStatus::Written),
        report_.count(RowStatus::Replaced),
        report_.count(RowStatus::Unchanged),
        failed
    );
    if failed > 0 {
        EXIT_INVALID
    } else {
        0
    }
}

/// `; materials: 3 packets ready, 2 not (…)` when some client has a materials folder (each
/// packet counted once, whatever its formats), or `--dossier` found none.
fn readiness_line(rows: &[Row], dossier: bool) -> String {
    let mut seen = std::collections::HashSet::new();
    let packets: Vec<_> = rows
        .iter()
        .filter_map(|r| Some((r, r.readiness.as_ref()?)))
        .filter(|(r, _)| seen.insert((&r.input, &r.license, &r.procedure)))
        .collect();
    if packets.is_empty() {
        return if dossier {
            "; no client has a materials folder (<client>/materials/ or <stem>.materials/)"
                .to_owned()
        } else {
            String::new()
        };
    }
    let complete = packets.iter().filter(|(_, x)| x.ready == x.total).count();
    format!(
        "; materials: {complete} of {} packets complete (summary.json says what is missing)",
        packets.len()
    )
}

/// A progress bar on a terminal, a line per client otherwise, nothing with `--quiet`.
struct Progress {
    bar: Option<ProgressBar>,
    lines: bool,
    done: AtomicUsize,
    total: usize,
}

impl Progress {
    fn new(total: usize, quiet: bool) -> Progress {
        let tty = std::io::stderr().is_terminal();
        let bar = (!quiet && tty).then(|| {
            let bar = ProgressBar::new(total as u64);
            if let Ok(style) = ProgressStyle::with_template(
                "{bar:40} {pos}/{len} clients, {per_sec}, eta {eta} {msg}",
            ) {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            lines: !quiet && !tty,
            done: AtomicUsize::new(0),
            total,
        }
    }

    fn done(&self, input: &Input, rows: &[Row]) {
        let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        let failed = rows.iter().any(|r| r.status == RowStatus::Failed);
        if let Some(bar) = &self.bar {
            bar.inc(1);
            if failed {
                bar.println(format!("failed: {}", input.rel));
            }
        } else if self.lines {
            let what = if failed { "failed" } else { "ok" };
            errln!(
                "[{n}/{}] {what} {} ({} packets)",
                self.total,
                input.rel,
                rows.len()
            );
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
