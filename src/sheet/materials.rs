//! Turns the optional `materials` sheet (uscc, licence, material, status, note — one row per
//! material of a company, for notes too long for a status column) into located entries.

use std::path::Path;

use super::cells::{Cell, Grid};
use super::columns::Kind;
use super::normalise::{quote, read, Value};
use super::rows::Field;
use crate::diag::{did_you_mean, CellRef, Diagnostic};

/// Names the materials sheet may have.
pub const SHEET_NAMES: [&str; 2] = ["materials", "材料"];

/// The columns of the materials sheet: key, accepted headers, kind.
const COLUMNS: [(&str, &[&str], Kind); 5] = [
    (
        "uscc",
        &["uscc", "company.uscc", "统一社会信用代码"],
        Kind::Code,
    ),
    (
        "licence",
        &["licence", "license", "license.number", "许可证编号"],
        Kind::Code,
    ),
    ("material", &["material", "材料"], Kind::Text),
    ("status", &["status", "状态"], Kind::Status),
    ("note", &["note", "备注"], Kind::Text),
];

/// One row of the materials sheet.
#[derive(Debug, Clone)]
pub struct MaterialEntry {
    pub uscc: Field,
    pub licence: Option<Field>,
    pub material: Field,
    pub status: Field,
    pub note: Option<Field>,
}

impl MaterialEntry {
    /// `id = "ready"` or `id = { status = "missing", note = "…" }`.
    pub fn toml_line(&self, key: &str) -> String {
        match &self.note {
            Some(note) => format!(
                "{key} = {{ status = {}, note = {} }}",
                self.status.value.to_toml(),
                quote(&note.value.shown())
            ),
            None => format!("{key} = {}", self.status.value.to_toml()),
        }
    }

    /// The error when a status column of the client sheet says otherwise.
    pub fn disagrees_with(&self, path: &Path, column: &Field) -> Diagnostic {
        let message = format!(
            "\"{}\" here but \"{}\" in {} for the same material",
            self.status.value.shown(),
            column.value.shown(),
            column.cell
        );
        Diagnostic::new(path, message)
            .hint("give a material's status in one place, or make both say the same")
            .in_cell(self.status.cell.clone())
    }
}

/// The entries of the materials sheet, and the problems of its header and cells.
pub fn read_materials(path: &Path, grid: &Grid) -> (Vec<MaterialEntry>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let Some(header_row) = grid
        .rows
        .iter()
        .position(|r| r.iter().any(|c| *c != Cell::Empty))
    else {
        return (Vec::new(), problems);
    };
    let mut columns: Vec<(usize, usize)> = Vec::new(); // (sheet column, index in COLUMNS)
    for (c, cell) in grid.rows[header_row].iter().enumerate() {
        let Cell::Text(text) = cell else { continue };
        let text = text.trim();
        match COLUMNS
            .iter()
            .position(|(_, names, _)| names.contains(&text))
        {
            Some(i) => columns.push((c, i)),
            None => {
                let all = COLUMNS
                    .iter()
                    .flat_map(|(_, names, _)| names.iter().copied());
                let message = match did_you_mean(text, all) {
                    Some(near) => format!("unknown column \"{text}\"; did you mean \"{near}\""),
                    None => format!("unknown column \"{text}\""),
                };
                problems.push(
                    Diagnostic::new(path, message)
                        .hint("the materials sheet has the columns uscc, licence, material, status, note")
                        .in_cell(cell_ref(grid, header_row, c, None)),
                );
            }
        }
    }
    let mut entries = Vec::new();
    for r in header_row + 1..grid.rows.len() {
        let mut fields: [Option<Field>; 5] = Default::default();
        for &(c, i) in &columns {
            let at = cell_ref(grid, r, c, Some(COLUMNS[i].1[0]));
            fields[i] = match read(grid.cell(r, c), COLUMNS[i].2) {
                Ok(None) => None,
                Ok(Some(read)) => Some(Field {
                    value: read.value,
                    cell: at,
                    reported: false,
                }),
                Err(problem) => {
                    problems.push(
                        Diagnostic::new(path, problem.to_string())
                            .hint(problem.hint())
                            .in_cell(at.clone()),
                    );
                    Some(Field {
                        value: Value::Text(problem.raw()),
                        cell: at,
                        reported: true,
                    })
                }
            };
        }
        let [uscc, licence, material, status, note] = fields;
        match (uscc, material, status) {
            (Some(uscc), Some(material), Some(status)) => entries.push(MaterialEntry {
                uscc,
                licence,
                material,
                status,
                note,
            }),
            (None, None, None) if licence.is_none() && note.is_none() => {}
            _ => problems.push(
                Diagnostic::new(path, "a materials row needs uscc, material and status")
                    .hint("fill in the three cells, or delete the row")
                    .in_cell(CellRef {
                        sheet: grid.name.clone(),
                        cell: format!("row {}", grid.row_number(r)),
                        header: None,
                    }),
            ),
        }
    }
    (entries, problems)
}

fn cell_ref(grid: &Grid, row: usize, col: usize, header: Option<&str>) -> CellRef {
    CellRef {
        sheet: grid.name.clone(),
        cell: grid.cell_name(row, col),
        header: header.map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn entries_with_notes_become_inline_tables() {
        let grid = Grid {
            name: Some("materials".into()),
            first_row: 0,
            first_col: 0,
            rows: vec![
                vec![
                    text("统一社会信用代码"),
                    text("材料"),
                    text("状态"),
                    text("备注"),
                    text("notes"),
                ],
                vec![
                    text("91440300MA5FTQ2K10"),
                    text("financial-statements"),
                    text("缺"),
                    text("审计报告12月5日"),
                ],
                vec![Cell::Empty, text("x"), Cell::Empty],
            ],
        };
        let (entries, problems) = read_materials(Path::new("c.xlsx"), &grid);
        assert_eq!(entries.len(), 1);
        assert_eq!(
            entries[0].toml_line("financial-statements"),
            "financial-statements = { status = \"missing\", note = \"审计报告12月5日\" }"
        );
        assert_eq!(
            entries[0].status.cell.to_string(),
            "materials › C2 (status)"
        );
        let cells: Vec<String> = problems
            .iter()
            .map(|d| d.cell.clone().unwrap().cell)
            .collect();
        assert_eq!(cells, ["E1", "row 3"]);
        assert!(problems[0].message.contains("did you mean \"note\""));
    }
}
