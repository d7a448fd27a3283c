//! `licpack check`: validate company files; print every located error; exit 1 if any.

use serde::Serialize;

use super::args::CheckArgs;
use super::{engine, report, EXIT_INVALID};

#[derive(Serialize)]
struct FileReport {
    file: String,
    valid: bool,
    errors: Vec<ErrorReport>,
}

#[derive(Serialize)]
struct ErrorReport {
    line: usize,
    column: usize,
    field: Option<String>,
    message: String,
    hint: Option<String>,
}

pub fn run(args: CheckArgs) -> i32 {
    let Ok(engine) = engine(args.templates.as_deref()) else {
        return EXIT_INVALID;
    };
    let mut reports = Vec::new();
    for path in &args.companies {
        let errors = match engine.load_company(path) {
            Ok(_) => Vec::new(),
            Err(diags) => diags.0,
        };
        if !args.json {
            if errors.is_empty() {
                outln!("ok {}", path.display());
            } else {
                report(licpack::diag::Diagnostics(errors.clone()));
            }
        }
        reports.push(FileReport {
            file: path.display().to_string(),
            valid: errors.is_empty(),
            errors: errors
                .into_iter()
                .map(|d| ErrorReport {
                    line: d.line,
                    column: d.column,
                    field: d.field,
                    message: d.message,
                    hint: d.hint,
                })
                .collect(),
        });
    }
    if args.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&reports).unwrap_or_default()
        );
    }
    let bad = reports.iter().filter(|r| !r.valid).count();
    if !args.json {
        outln!("{} valid, {} invalid", reports.len() - bad, bad);
    }
    if bad > 0 {
        EXIT_INVALID
    } else {
        0
    }
}
