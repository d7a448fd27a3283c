//! `licpack generate`: one company file → its packets. Every packet is built in memory first,
//! so an error in any of them writes nothing for that company.

use serde::Serialize;

use super::args::GenerateArgs;
use super::{engine, report, with_agency, EXIT_INVALID};
use licpack::output::{packet_path, write_atomic, WriteOutcome};
use licpack::plan::{plan, Selection};

#[derive(Serialize)]
struct Written {
    path: String,
    license: String,
    procedure: String,
    pages: usize,
    bytes: usize,
    outcome: WriteOutcome,
}

pub fn run(args: GenerateArgs) -> i32 {
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
    let plans = match plan(&company, &engine.catalog, today, &selection) {
        Ok(p) => p,
        Err(e) => {
            report(format!("{}: error: {e}", args.company.display()));
            return EXIT_INVALID;
        }
    };
    if let Err(e) = licpack::output::ensure_writable(&args.out) {
        report(format!("error: {e}"));
        return EXIT_INVALID;
    }
    let mut built = Vec::with_capacity(plans.len());
    for p in &plans {
        match engine.build(p, args.lang.to_lang()) {
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
    for (p, b) in built {
        let path = packet_path(&args.out, &company, &b.file_stem);
        match write_atomic(&path, &b.bytes, args.force) {
            Ok(outcome) => written.push(Written {
                path: path.display().to_string(),
                license: p.license.number.clone(),
                procedure: p.procedure.id.clone(),
                pages: b.pages,
                bytes: b.bytes.len(),
                outcome,
            }),
            Err(e) => {
                report(format!("error: {e}"));
                failed = true;
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

fn print_written(written: &[Written], json: bool) {
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
        outln!(
            "{what} {} ({} pages, {} KB)",
            w.path,
            w.pages,
            w.bytes.div_ceil(1024)
        );
    }
}
