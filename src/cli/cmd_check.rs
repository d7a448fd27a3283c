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
    /// Sheet, cell and header, for a client book.
    #[serde(skip_serializing_if = "Option::is_none")]
    cell: Option<licpack::diag::CellRef>,
}

pub fn run(args: CheckArgs) -> i32 {
    let Ok(engine) = engine(args.templates.as_deref()) else {
        return EXIT_INVALID;
    };
    let mut reports = Vec::new();
    for path in &args.companies {
        let errors = if licpack::sheet::is_book(path) {
            check_book(&engine, path, args.json)
        } else {
            match engine.load_company(path) {
                Ok(_) => Vec::new(),
                Err(diags) => diags.0,
            }
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
                    cell: d.cell.map(|c| *c),
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

/// Every error of a client book; notes (values read differently from how they were typed)
/// go to stderr so `--json` output stays one document.
fn check_book(
    engine: &licpack::packet::Engine,
    path: &std::path::Path,
    json: bool,
) -> Vec<licpack::diag::Diagnostic> {
    match licpack::sheet::read_book(path, &engine.catalog) {
        Ok(book) => {
            for note in &book.notes {
                errln!("note: {note}");
            }
            if !json && book.problems.is_empty() {
                let valid = book.clients.iter().filter(|c| c.company.is_ok()).count();
                outln!(
                    "{}: {valid} of {} clients valid",
                    path.display(),
                    book.clients.len()
                );
            }
            book.diagnostics()
        }
        Err(diags) => diags.0,
    }
}
