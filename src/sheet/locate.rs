//! Turns the TOML loader's line-located diagnostics about a generated company file back into
//! cell-located ones: a value's line becomes its cell; a `[table]` line (where "required field
//! missing" points) becomes that field's cell in the row, or the row when the column is absent.

use super::columns::label_of;
use super::document::Document;
use super::rows::Sheet;
use crate::diag::Diagnostic;

const MISSING: &str = "required field missing";

/// `d` located in the sheet; `None` when its cell already has a diagnostic of its own.
pub fn relocate(
    d: Diagnostic,
    doc: &Document,
    sheet: &Sheet,
    first_row: usize,
) -> Option<Diagnostic> {
    let origin = doc.origin(d.line);
    let row = origin.map_or(first_row, |o| o.row);
    let key = d.field.as_deref().map(column_key);
    if d.message.starts_with(MISSING) {
        let key = key.unwrap_or_default();
        return Some(missing(d, sheet, &key, row));
    }
    match origin {
        Some(origin) if origin.reported => None,
        Some(origin) => {
            let cell = origin
                .cell
                .clone()
                .or_else(|| key.and_then(|k| sheet.cell_ref(&k, row)))
                .unwrap_or_else(|| sheet.row_ref(row));
            Some(d.in_cell(cell))
        }
        None => Some(d.in_cell(sheet.row_ref(row))),
    }
}

/// A required field without a value: the empty cell when the column exists, else the row
/// with the column to add.
fn missing(d: Diagnostic, sheet: &Sheet, key: &str, row: usize) -> Diagnostic {
    if let Some(cell) = sheet.cell_ref(key, row) {
        return d.hint("fill in this cell").in_cell(cell);
    }
    let label = label_of(key).unwrap_or(key);
    let mut d = d.hint(format!(
        "add a column headed \"{label}\" (or \"{key}\") and fill it in"
    ));
    d.message = format!("{}; the sheet has no column {label} ({key})", d.message);
    d.in_cell(sheet.row_ref(row))
}

/// `license[0].number` → `license.number`; a procedure's `license` is the licence number's
/// column, since the sheet gives a procedure's licence by its row.
fn column_key(field: &str) -> String {
    let mut key = String::with_capacity(field.len());
    let mut in_index = false;
    for c in field.chars() {
        match c {
            '[' => in_index = true,
            ']' => in_index = false,
            c if !in_index => key.push(c),
            _ => {}
        }
    }
    if key == "procedure.license" {
        return "license.number".to_owned();
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_paths_become_column_keys() {
        assert_eq!(column_key("license[12].expires"), "license.expires");
        assert_eq!(column_key("procedure[0].license"), "license.number");
        assert_eq!(column_key("company.contact.name"), "company.contact.name");
        assert_eq!(
            column_key("materials.financial-statements"),
            "materials.financial-statements"
        );
    }
}
