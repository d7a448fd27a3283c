//! Client books on the command line: a workbook given to `batch` becomes one batch input per
//! company (its problems and notes reported first); `import` and `init --xlsx`.

use std::path::Path;

use super::{report, EXIT_INVALID};
use licpack::batch::Input;
use licpack::company::Company;
use licpack::packet::Engine;

/// Batch inputs, and for a book their companies already loaded (or why each is invalid)
/// with each one's materials folder (the book's 材料文件夹 column).
pub type Clients = (Vec<Input>, Option<Loaded>);

/// A book's companies (or why each is invalid) and their materials folders, in input order.
pub struct Loaded {
    pub companies: Vec<Result<Company, String>>,
    pub folders: Vec<Option<std::path::PathBuf>>,
}

/// Batch inputs and companies (or why each is invalid) of the book at `path`; `Err` with the
/// exit code when the book cannot be read or its header is wrong (every row would be in doubt).
pub fn clients(engine: &Engine, path: &Path) -> Result<Clients, i32> {
    let book = licpack::sheet::read_book(path, &engine.catalog).map_err(|diags| {
        report(diags);
        EXIT_INVALID
    })?;
    for note in &book.notes {
        errln!("note: {note}");
    }
    if !book.problems.is_empty() {
        report(licpack::diag::Diagnostics(book.problems));
        report("error: fix the columns first; no packet was made");
        return Err(EXIT_INVALID);
    }
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut inputs = Vec::new();
    let mut loaded = Loaded {
        companies: Vec::new(),
        folders: Vec::new(),
    };
    for client in book.clients {
        inputs.push(Input {
            path: path.to_path_buf(),
            rel: format!("{name} › {}", client.label),
        });
        loaded
            .companies
            .push(client.company.map_err(|d| d.to_string()));
        loaded.folders.push(client.materials);
    }
    Ok((inputs, Some(loaded)))
}

/// `init --xlsx FILE`: writes the client-book template.
pub fn template(path: &Path, force: bool) -> i32 {
    let Ok(engine) = super::engine(None) else {
        return EXIT_INVALID;
    };
    let bytes = match licpack::sheet::template::template(&engine.catalog) {
        Ok(bytes) => bytes,
        Err(e) => {
            report(format!("error: cannot make the template: {e}"));
            return EXIT_INVALID;
        }
    };
    match licpack::output::write_atomic(path, &bytes, force) {
        Ok(_) => {
            outln!(
                "wrote {}: fill in one row per procedure, then run `licpack check {}`",
                path.display(),
                path.display()
            );
            0
        }
        Err(e) => {
            report(format!("error: {e}"));
            EXIT_INVALID
        }
    }
}

/// `import BOOK --out DIR`: one company file per valid client.
pub fn import(args: super::args::ImportArgs) -> i32 {
    let Ok(engine) = super::engine(None) else {
        return EXIT_INVALID;
    };
    let book = match licpack::sheet::read_book(&args.book, &engine.catalog) {
        Ok(book) => book,
        Err(diags) => {
            report(diags);
            return EXIT_INVALID;
        }
    };
    for note in &book.notes {
        errln!("note: {note}");
    }
    if !book.problems.is_empty() {
        report(licpack::diag::Diagnostics(book.problems));
        report("error: fix the columns first; nothing was imported");
        return EXIT_INVALID;
    }
    let errors = book.diagnostics();
    if !errors.is_empty() {
        report(licpack::diag::Diagnostics(errors));
    }
    let mut failed = 0;
    for result in licpack::sheet::import::import(&book, &args.out, args.force) {
        use licpack::sheet::import::Imported;
        match result {
            Imported::Written(path, outcome) => {
                let what = match outcome {
                    licpack::output::WriteOutcome::Created => "wrote",
                    licpack::output::WriteOutcome::Replaced => "replaced",
                    licpack::output::WriteOutcome::Unchanged => "unchanged",
                };
                outln!("{what} {}", path.display());
            }
            Imported::Invalid(label) => {
                failed += 1;
                report(format!("skipped: {label} (invalid, see above)"));
            }
            Imported::Refused(e) => {
                failed += 1;
                report(format!("error: {e}"));
            }
        }
    }
    if failed > 0 {
        EXIT_INVALID
    } else {
        0
    }
}
