//! Turns one company's rows into the text of its company file — one value per line, each
//! line remembering its cell and commented with it — so the TOML loader validates a
//! spreadsheet client exactly as it validates a file, and `import` writes the same text.

use std::path::Path;

use super::columns::{Section, SPECS};
use super::group::{licences, merged, Group};
use super::materials::MaterialEntry;
use super::normalise::quote;
use super::rows::{Field, Row, Sheet};
use crate::diag::{CellRef, Diagnostic};

/// Where one line of the generated text came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    /// The sheet row (1-based) the line belongs to.
    pub row: usize,
    /// The cell, for a value line; `None` for a `[table]` header.
    pub cell: Option<CellRef>,
    /// The cell has its own diagnostic already.
    pub reported: bool,
}

/// Company-file text with an origin per line.
#[derive(Debug, Default)]
pub struct Document {
    pub text: String,
    /// Index `line - 1`; `None` for lines no cell wrote (comments, blank lines).
    pub origins: Vec<Option<Origin>>,
}

impl Document {
    fn push(&mut self, line: &str, origin: Option<Origin>) {
        self.text.push_str(line);
        if let Some(origin) = &origin {
            let from = match &origin.cell {
                Some(cell) => cell.to_string(),
                None => format!("row {}", origin.row),
            };
            self.text.push_str("  # ");
            self.text.push_str(&from);
        }
        self.text.push('\n');
        self.origins.push(origin);
    }

    fn table(&mut self, header: &str, row: usize) {
        self.push(
            header,
            Some(Origin {
                row,
                cell: None,
                reported: false,
            }),
        );
    }

    fn value(&mut self, key: &str, field: &Field, row: usize) {
        let line = format!("{key} = {}", field.value.to_toml());
        let origin = Origin {
            row,
            cell: Some(field.cell.clone()),
            reported: field.reported,
        };
        self.push(&line, Some(origin));
    }

    /// The origin of 1-based `line`.
    pub fn origin(&self, line: usize) -> Option<&Origin> {
        self.origins.get(line.checked_sub(1)?)?.as_ref()
    }
}

/// The company file of `group`; disagreements between its rows go to `group.problems`.
pub fn document(
    path: &Path,
    sheet: &Sheet,
    group: &mut Group,
    materials: &[MaterialEntry],
) -> Document {
    let mut doc = Document::default();
    let first = group.rows[0].number;
    doc.push(
        &format!("# From {} ({})", file_name(path), rows_label(sheet, group)),
        None,
    );
    doc.table("[company]", first);
    let rows = group.rows.clone();
    section(
        path,
        &mut doc,
        &rows,
        Section::Company,
        "company",
        &mut group.problems,
    );
    let licences = licences(&rows);
    for licence in &licences {
        doc.push("", None);
        doc.table("[[license]]", licence.rows[0].number);
        section(
            path,
            &mut doc,
            &licence.rows,
            Section::License,
            "licence",
            &mut group.problems,
        );
    }
    for row in &rows {
        if !has_section(row, Section::Procedure) {
            continue;
        }
        doc.push("", None);
        doc.table("[[procedure]]", row.number);
        let own = [*row];
        section(
            path,
            &mut doc,
            &own,
            Section::Procedure,
            "",
            &mut Vec::new(),
        );
        let licence = licences
            .iter()
            .find(|l| l.rows.iter().any(|r| r.number == row.number))
            .and_then(|l| l.rows.iter().find_map(|r| r.fields.get("license.number")));
        if let Some(number) = licence {
            doc.value("license", number, row.number);
        }
    }
    material_lines(path, &mut doc, &rows, materials, &mut group.problems);
    doc
}

/// The lines of one section: each known key of that section, merged over `rows`.
fn section(
    path: &Path,
    doc: &mut Document,
    rows: &[&Row],
    wanted: Section,
    what: &str,
    problems: &mut Vec<Diagnostic>,
) {
    let keys = SPECS
        .iter()
        .map(|s| s.key)
        .filter(|k| super::columns::resolve(k).is_ok_and(|c| c.section == wanted));
    for key in keys {
        if let Some(field) = merged(path, rows, key, what, problems) {
            let row = row_of(rows, field);
            doc.value(key.split_once('.').map_or(key, |(_, k)| k), field, row);
        }
    }
}

fn material_lines(
    path: &Path,
    doc: &mut Document,
    rows: &[&Row],
    sheet_entries: &[MaterialEntry],
    problems: &mut Vec<Diagnostic>,
) {
    let mut ids: Vec<&str> = rows
        .iter()
        .flat_map(|r| r.fields.keys())
        .filter_map(|k| k.strip_prefix(super::columns::MATERIALS_PREFIX))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() && sheet_entries.is_empty() {
        return;
    }
    doc.push("", None);
    doc.table("[materials]", rows[0].number);
    for id in ids {
        let key = format!("{}{id}", super::columns::MATERIALS_PREFIX);
        let Some(field) = merged(path, rows, &key, "company", problems) else {
            continue;
        };
        if let Some(entry) = sheet_entries
            .iter()
            .find(|e| e.material.value.shown() == id)
        {
            if entry.status.value != field.value && !entry.status.reported {
                problems.push(entry.disagrees_with(path, field));
            }
        }
        doc.value(&quote_key(id), field, row_of(rows, field));
    }
    for entry in sheet_entries {
        let id = entry.material.value.shown();
        if rows
            .iter()
            .any(|r| r.fields.contains_key(&format!("materials.{id}")))
        {
            continue;
        }
        let line = entry.toml_line(&quote_key(&id));
        let origin = Origin {
            row: rows[0].number,
            cell: Some(entry.status.cell.clone()),
            reported: entry.status.reported,
        };
        doc.push(&line, Some(origin));
    }
}

/// A bare key when TOML allows it, else quoted.
fn quote_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        key.to_owned()
    } else {
        quote(key)
    }
}

fn has_section(row: &Row, section: Section) -> bool {
    let prefix = match section {
        Section::Procedure => "procedure.",
        Section::License => "license.",
        Section::Company => "company.",
        Section::Materials => "materials.",
        Section::Client => "client.",
    };
    row.fields.keys().any(|k| k.starts_with(prefix))
}

fn row_of(rows: &[&Row], field: &Field) -> usize {
    rows.iter()
        .find(|r| r.fields.values().any(|f| std::ptr::eq(f, field)))
        .map_or(0, |r| r.number)
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// `客户 › rows 3, 4` for messages and summaries.
pub fn rows_label(sheet: &Sheet, group: &Group) -> String {
    let numbers: Vec<String> = group.rows.iter().map(|r| r.number.to_string()).collect();
    let rows = if numbers.len() == 1 {
        format!("row {}", numbers[0])
    } else {
        format!("rows {}", numbers.join(", "))
    };
    match &sheet.name {
        Some(name) => format!("{name} › {rows}"),
        None => rows,
    }
}
