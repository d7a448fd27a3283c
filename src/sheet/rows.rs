//! Turns a client grid into rows of located field values: the header row resolved to
//! columns, each data cell read for its column, and every unreadable cell or unknown header
//! recorded as a diagnostic at its cell.

use std::collections::BTreeMap;
use std::path::Path;

use super::cells::{Cell, Grid};
use super::columns::{resolve, Column};
use super::normalise::{read, Value};
use crate::diag::{CellRef, Diagnostic};

/// One cell's value, and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub value: Value,
    pub cell: CellRef,
    /// The cell already has its own diagnostic: later complaints about it are repeats.
    pub reported: bool,
}

/// One data row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// As the spreadsheet numbers it (1-based).
    pub number: usize,
    /// Dotted key → value; empty cells are absent.
    pub fields: BTreeMap<String, Field>,
}

/// A sheet read: its columns by key, rows, and what was wrong or changed in its cells.
#[derive(Debug, Default)]
pub struct Sheet {
    pub name: Option<String>,
    pub columns: Vec<Column>,
    /// Column key → the header cell's letters (`C`), for problems about a whole column.
    pub letters: BTreeMap<String, String>,
    pub rows: Vec<Row>,
    /// Header problems: the whole sheet is in doubt.
    pub header_problems: Vec<Diagnostic>,
    /// Unreadable cells, by row number.
    pub cell_problems: BTreeMap<usize, Vec<Diagnostic>>,
    pub notes: Vec<Diagnostic>,
}

impl Sheet {
    /// Where a problem about the whole row `number` points.
    pub fn row_ref(&self, number: usize) -> CellRef {
        CellRef {
            sheet: self.name.clone(),
            cell: format!("row {number}"),
            header: None,
        }
    }

    /// The cell of column `key` in row `number`, when the sheet has that column.
    pub fn cell_ref(&self, key: &str, number: usize) -> Option<CellRef> {
        let letters = self.letters.get(key)?;
        let column = self.columns.iter().find(|c| c.key == key)?;
        Some(CellRef {
            sheet: self.name.clone(),
            cell: format!("{letters}{number}"),
            header: Some(column.header.clone()),
        })
    }
}

/// Reads `grid`: its first non-empty row is the header, every later non-empty row is data.
pub fn read_sheet(path: &Path, grid: &Grid) -> Sheet {
    let mut sheet = Sheet {
        name: grid.name.clone(),
        ..Sheet::default()
    };
    let Some(header_row) = grid.rows.iter().position(|r| !is_empty(r)) else {
        return sheet;
    };
    let columns = header(path, grid, header_row, &mut sheet);
    for (r, cells) in grid.rows.iter().enumerate().skip(header_row + 1) {
        if is_empty(cells) {
            continue;
        }
        let number = grid.row_number(r);
        let mut fields = BTreeMap::new();
        for (c, column) in &columns {
            let cell = CellRef {
                sheet: grid.name.clone(),
                cell: grid.cell_name(r, *c),
                header: Some(column.header.clone()),
            };
            let (value, reported) = match read(grid.cell(r, *c), column.kind) {
                Ok(None) => continue,
                Ok(Some(read)) => {
                    if let Some(note) = read.note {
                        sheet
                            .notes
                            .push(Diagnostic::new(path, note).in_cell(cell.clone()));
                    }
                    (read.value, false)
                }
                Err(problem) => {
                    let d = Diagnostic::new(path, problem.to_string())
                        .field(column.key.clone())
                        .hint(problem.hint())
                        .in_cell(cell.clone());
                    sheet.cell_problems.entry(number).or_default().push(d);
                    (Value::Text(problem.raw()), true)
                }
            };
            fields.insert(
                column.key.clone(),
                Field {
                    value,
                    cell,
                    reported,
                },
            );
        }
        sheet.rows.push(Row { number, fields });
    }
    sheet
}

/// Resolves the header cells; unknown and repeated headers become diagnostics.
fn header(path: &Path, grid: &Grid, row: usize, sheet: &mut Sheet) -> Vec<(usize, Column)> {
    let mut columns: Vec<(usize, Column)> = Vec::new();
    for (c, cell) in grid.rows[row].iter().enumerate() {
        let text = match cell {
            Cell::Text(t) if !t.trim().is_empty() => t.trim(),
            _ => continue,
        };
        let at = CellRef {
            sheet: grid.name.clone(),
            cell: grid.cell_name(row, c),
            header: None,
        };
        match resolve(text) {
            Ok(column) => {
                if let Some((first, _)) = columns.iter().find(|(_, k)| k.key == column.key) {
                    let message = format!(
                        "column \"{}\" ({}) appears twice; the first is {}",
                        text,
                        column.key,
                        grid.cell_name(row, *first)
                    );
                    let d = Diagnostic::new(path, message)
                        .hint("delete or rename one of the two columns")
                        .in_cell(at);
                    sheet.header_problems.push(d);
                    continue;
                }
                let letters = super::cells::column_letters(grid.first_col + c);
                sheet.letters.insert(column.key.clone(), letters);
                columns.push((c, column));
            }
            Err(e) => {
                let d = Diagnostic::new(path, e.to_string())
                    .hint(e.hint())
                    .in_cell(at);
                sheet.header_problems.push(d);
            }
        }
    }
    sheet.columns = columns.iter().map(|(_, c)| c.clone()).collect();
    columns
}

fn is_empty(cells: &[Cell]) -> bool {
    cells.iter().all(|c| match c {
        Cell::Empty => true,
        Cell::Text(t) => t.trim().is_empty(),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn cells_are_located_and_bad_ones_reported_once() {
        let grid = Grid {
            name: Some("客户".into()),
            first_row: 0,
            first_col: 0,
            rows: vec![
                vec![
                    text("公司名称"),
                    text("company.uscc"),
                    text("license.expire"),
                ],
                vec![Cell::Empty, Cell::Empty, Cell::Empty],
                vec![text(" 甲公司 "), Cell::Number(9.1e17), text("x")],
            ],
        };
        let sheet = read_sheet(Path::new("c.xlsx"), &grid);
        assert_eq!(sheet.rows.len(), 1);
        let row = &sheet.rows[0];
        assert_eq!(row.number, 3);
        let name = &row.fields["company.name"];
        assert_eq!(name.value, Value::Text("甲公司".into()));
        assert_eq!(name.cell.to_string(), "客户 › A3 (公司名称)");
        assert!(row.fields["company.uscc"].reported);
        let uscc = &sheet.cell_problems[&3][0];
        assert_eq!(uscc.cell.as_ref().unwrap().cell, "B3");
        let unknown = &sheet.header_problems[0];
        assert_eq!(unknown.cell.as_ref().unwrap().cell, "C1");
        assert!(unknown.message.contains("did you mean \"license.expires\""));
        assert_eq!(sheet.cell_ref("company.uscc", 9).unwrap().cell, "B9");
    }
}
