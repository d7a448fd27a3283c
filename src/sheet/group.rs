//! Turns the rows of a client sheet into one group per company: rows with the same USCC
//! belong together, a row with neither USCC nor name continues the one above (what merged
//! cells look like when read), and each company or licence field must agree between the
//! rows that carry it — when two cells disagree, the error names both.

use std::collections::HashMap;
use std::path::Path;

use super::rows::{Field, Row};
use crate::diag::Diagnostic;

/// The rows of one company, and the problems found while merging them.
#[derive(Debug, Default)]
pub struct Group<'s> {
    pub rows: Vec<&'s Row>,
    pub problems: Vec<Diagnostic>,
}

/// One licence of a company: its rows in order (the first carries the number, if any).
pub struct LicenceRows<'s> {
    pub rows: Vec<&'s Row>,
}

/// Splits `rows` into companies, in the order each first appears.
pub fn companies(rows: &[Row]) -> Vec<Group<'_>> {
    let mut groups: Vec<Group> = Vec::new();
    let mut by_uscc: HashMap<String, usize> = HashMap::new();
    for row in rows {
        let uscc = row.fields.get("company.uscc").map(|f| f.value.shown());
        let index = match uscc {
            Some(uscc) => *by_uscc.entry(uscc).or_insert_with(|| {
                groups.push(Group::default());
                groups.len() - 1
            }),
            None if !row.fields.contains_key("company.name") && !groups.is_empty() => {
                groups.len() - 1
            }
            None => {
                groups.push(Group::default());
                groups.len() - 1
            }
        };
        groups[index].rows.push(row);
    }
    groups
}

/// The licences of a company's rows: rows naming the same number share one; a row without a
/// number continues the licence of the row above it.
pub fn licences<'s>(rows: &[&'s Row]) -> Vec<LicenceRows<'s>> {
    let mut licences: Vec<LicenceRows> = Vec::new();
    let mut by_number: HashMap<String, usize> = HashMap::new();
    let mut previous: Option<usize> = None;
    for row in rows {
        let number = row.fields.get("license.number").map(|f| f.value.shown());
        let index = match (number, previous) {
            (Some(number), _) => *by_number.entry(number).or_insert_with(|| {
                licences.push(LicenceRows { rows: Vec::new() });
                licences.len() - 1
            }),
            (None, Some(previous)) => previous,
            (None, None) => {
                licences.push(LicenceRows { rows: Vec::new() });
                licences.len() - 1
            }
        };
        licences[index].rows.push(row);
        previous = Some(index);
    }
    licences
}

/// The value of `key` over `rows`: the first cell that has one. Every later cell with a
/// different value is an error naming both cells.
pub fn merged<'s>(
    path: &Path,
    rows: &[&'s Row],
    key: &str,
    what: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<&'s Field> {
    let mut cells = rows.iter().filter_map(|r| r.fields.get(key));
    let first = cells.next()?;
    for other in cells {
        if other.value == first.value || other.reported || first.reported {
            continue;
        }
        let message = format!(
            "\"{}\" here but \"{}\" in {}, a row of the same {what}",
            other.value.shown(),
            first.value.shown(),
            first.cell.cell
        );
        let hint = format!(
            "rows of one {what} must agree: correct one of the two cells, or leave this one empty"
        );
        problems.push(
            Diagnostic::new(path, message)
                .field(key)
                .hint(hint)
                .in_cell(other.cell.clone()),
        );
    }
    Some(first)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::diag::CellRef;
    use crate::sheet::normalise::Value;

    fn row(number: usize, cells: &[(&str, &str, &str)]) -> Row {
        let fields: BTreeMap<String, Field> = cells
            .iter()
            .map(|(key, col, text)| {
                let field = Field {
                    value: Value::Text((*text).into()),
                    cell: CellRef {
                        sheet: Some("客户".into()),
                        cell: format!("{col}{number}"),
                        header: None,
                    },
                    reported: false,
                };
                ((*key).to_owned(), field)
            })
            .collect();
        Row { number, fields }
    }

    #[test]
    fn rows_group_by_uscc_and_blank_rows_continue_the_one_above() {
        let rows = vec![
            row(
                2,
                &[("company.uscc", "C", "A"), ("license.number", "P", "B2-1")],
            ),
            row(3, &[("license.number", "P", "B2-2")]),
            row(4, &[("company.uscc", "C", "B")]),
            row(5, &[("company.uscc", "C", "A")]),
            row(6, &[("company.name", "A", "丙")]),
        ];
        let groups = companies(&rows);
        let numbers: Vec<Vec<usize>> = groups
            .iter()
            .map(|g| g.rows.iter().map(|r| r.number).collect())
            .collect();
        assert_eq!(numbers, [vec![2, 3, 5], vec![4], vec![6]]);
        let licences = licences(&groups[0].rows);
        let numbers: Vec<Vec<usize>> = licences
            .iter()
            .map(|l| l.rows.iter().map(|r| r.number).collect())
            .collect();
        assert_eq!(numbers, [vec![2], vec![3, 5]]);
    }

    #[test]
    fn disagreeing_cells_are_both_named() {
        let rows = [
            row(2, &[("company.name", "A", "甲公司")]),
            row(3, &[]),
            row(4, &[("company.name", "A", "乙公司")]),
        ];
        let refs: Vec<&Row> = rows.iter().collect();
        let mut problems = Vec::new();
        let field = merged(
            Path::new("c.xlsx"),
            &refs,
            "company.name",
            "company",
            &mut problems,
        );
        assert_eq!(field.unwrap().cell.cell, "A2");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].cell.as_ref().unwrap().cell, "A4");
        assert_eq!(
            problems[0].message,
            "\"乙公司\" here but \"甲公司\" in A2, a row of the same company"
        );
    }
}
