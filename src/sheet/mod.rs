//! Turns a client book — a workbook (`.xlsx`, `.xls`, `.ods`) or `.csv`, one row per procedure
//! of a licence of a company — into the same [`Company`] values the TOML loader produces, with
//! diagnostics located by sheet, cell and header instead of line and column; and writes the
//! spreadsheets licpack hands out (the `init --xlsx` template, the batch `summary.xlsx`).
//!
//! Each company's rows become the text of its company file (one value per line, commented
//! with its cell) which goes through [`crate::company::parse`]: one validation for both
//! inputs, and `import` writes that very text.
//!
//! Steps: [`cells`] (file → typed grids) → [`rows`] (grid → located field values, headers
//! resolved by [`columns`], cells read by [`normalise`]) → [`group`] (rows → companies) →
//! [`document`] (company rows → company-file text) → `company::parse`, then [`locate`]
//! (line diagnostics → cell diagnostics).

mod cells;
mod columns;
mod document;
mod group;
pub mod import;
mod locate;
mod materials;
mod normalise;
mod rows;
pub mod summary;
pub mod template;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::catalog::Catalog;
use crate::company::Company;
use crate::diag::{Diagnostic, Diagnostics};

pub use columns::{Spec, SPECS};

/// File extensions read as client books.
const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xls", "ods", "csv"];

/// Whether `path` names a spreadsheet (by extension) rather than a folder or TOML file.
pub fn is_book(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// A client book read and checked.
#[derive(Debug)]
pub struct Book {
    pub path: PathBuf,
    /// Problems of the book as a whole (headers, the materials sheet): every client is in doubt.
    pub problems: Vec<Diagnostic>,
    /// What was changed while reading (full-width characters narrowed); not errors.
    pub notes: Vec<Diagnostic>,
    pub clients: Vec<Client>,
}

/// One company of the book.
#[derive(Debug)]
pub struct Client {
    /// `客户 › rows 3, 4`.
    pub label: String,
    /// The company file text, commented with the cell of each value.
    pub toml: String,
    pub company: Result<Company, Diagnostics>,
    /// The client's materials folder (the 材料文件夹 column, relative to the book's folder).
    pub materials: Option<PathBuf>,
}

impl Book {
    /// Every error: the book's, then each client's in row order.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let clients = self.clients.iter().filter_map(|c| c.company.as_ref().err());
        self.problems
            .iter()
            .cloned()
            .chain(clients.flat_map(|d| d.0.iter().cloned()))
            .collect()
    }
}

/// Reads and checks the book at `path`; `Err` when it cannot be read at all.
pub fn read_book(path: &Path, catalog: &Catalog) -> Result<Book, Diagnostics> {
    let grids = cells::read(path)
        .map_err(|e| Diagnostics(vec![Diagnostic::new(path, e.to_string()).hint(e.hint())]))?;
    let is_materials = |g: &&cells::Grid| {
        g.name.as_deref().is_some_and(|n| {
            materials::SHEET_NAMES
                .iter()
                .any(|m| m.eq_ignore_ascii_case(n.trim()))
        })
    };
    let Some(client_grid) = grids.iter().find(|g| !is_materials(g)) else {
        let d = Diagnostic::new(
            path,
            "the workbook has no client sheet, only a materials sheet",
        )
        .hint("put the clients on the first sheet, one row per procedure");
        return Err(Diagnostics(vec![d]));
    };
    let sheet = rows::read_sheet(path, client_grid);
    let (entries, material_problems) = match grids.iter().find(is_materials) {
        Some(grid) => materials::read_materials(path, grid),
        None => (Vec::new(), Vec::new()),
    };
    let mut problems = sheet.header_problems.clone();
    problems.extend(material_problems);
    let mut groups = group::companies(&sheet.rows);
    problems.extend(unmatched_materials(path, &groups, &entries));
    let clients = groups
        .par_iter_mut()
        .map(|g| client(path, &sheet, g, &entries, catalog))
        .collect();
    Ok(Book {
        path: path.to_path_buf(),
        problems,
        notes: sheet.notes.clone(),
        clients,
    })
}

/// One company: its file text, validated, with every diagnostic located in a cell.
fn client(
    path: &Path,
    sheet: &rows::Sheet,
    group: &mut group::Group,
    entries: &[materials::MaterialEntry],
    catalog: &Catalog,
) -> Client {
    let uscc = group.rows[0]
        .fields
        .get("company.uscc")
        .map(|f| f.value.shown());
    let own: Vec<materials::MaterialEntry> = entries
        .iter()
        .filter(|e| Some(e.uscc.value.shown()) == uscc)
        .cloned()
        .collect();
    let doc = document::document(path, sheet, group, &own);
    let first = group.rows[0].number;
    let mut errors: Vec<Diagnostic> = group
        .rows
        .iter()
        .flat_map(|r| sheet.cell_problems.get(&r.number).into_iter().flatten())
        .cloned()
        .collect();
    errors.append(&mut group.problems);
    errors.extend(licence_mismatches(path, group, &own));
    let parsed = crate::company::parse(&doc.text, path, catalog);
    let company = match parsed {
        Ok(company) if errors.is_empty() => Ok(company),
        Ok(_) => Err(Diagnostics(errors)),
        Err(diags) => {
            let located = diags
                .0
                .into_iter()
                .filter_map(|d| locate::relocate(d, &doc, sheet, first));
            errors.extend(located);
            Err(Diagnostics(errors))
        }
    };
    let base = path.parent().unwrap_or(Path::new(""));
    let materials = group
        .rows
        .iter()
        .find_map(|r| r.fields.get("client.materials_folder"))
        .map(|f| f.value.shown().trim().to_owned())
        .filter(|folder| !folder.is_empty())
        .map(|folder| base.join(folder));
    Client {
        label: document::rows_label(sheet, group),
        toml: doc.text,
        company,
        materials,
    }
}

/// Materials-sheet rows whose USCC no client row has.
fn unmatched_materials(
    path: &Path,
    groups: &[group::Group],
    entries: &[materials::MaterialEntry],
) -> Vec<Diagnostic> {
    let known: std::collections::HashSet<String> = groups
        .iter()
        .filter_map(|g| g.rows[0].fields.get("company.uscc"))
        .map(|f| f.value.shown())
        .collect();
    entries
        .iter()
        .filter(|e| !e.uscc.reported && !known.contains(&e.uscc.value.shown()))
        .map(|e| {
            Diagnostic::new(
                path,
                format!("no client row has the USCC \"{}\"", e.uscc.value.shown()),
            )
            .hint("correct the code, or add the company's rows to the client sheet")
            .in_cell(e.uscc.cell.clone())
        })
        .collect()
}

/// Materials-sheet rows naming a licence the company does not have.
fn licence_mismatches(
    path: &Path,
    group: &group::Group,
    entries: &[materials::MaterialEntry],
) -> Vec<Diagnostic> {
    let numbers: Vec<String> = group
        .rows
        .iter()
        .filter_map(|r| r.fields.get("license.number"))
        .map(|f| f.value.shown())
        .collect();
    entries
        .iter()
        .filter_map(|e| e.licence.as_ref())
        .filter(|l| !l.reported && !numbers.contains(&l.value.shown()))
        .map(|l| {
            Diagnostic::new(
                path,
                format!("the company has no licence \"{}\"", l.value.shown()),
            )
            .hint(format!("licences of this company: {}", numbers.join(", ")))
            .in_cell(l.cell.clone())
        })
        .collect()
}
