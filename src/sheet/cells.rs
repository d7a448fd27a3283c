//! Turns a workbook file (`.xlsx`, `.xls`, `.ods` through `calamine`; `.csv` through `csv`)
//! into grids of typed cells with their absolute positions, so every later message can name
//! `客户 › C7`. A CSV that is not UTF-8 (GBK from Excel on Chinese Windows) is named with the fix.

use std::path::Path;

use calamine::{Data, Reader};
use chrono::NaiveDate;

/// One cell as the file stores it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A date cell (a formatted serial in Excel, a date value in ODS).
    Date(NaiveDate),
    Bool(bool),
    /// `#N/A`, `#VALUE!`, …
    Error(String),
}

/// One sheet: its name (none for CSV) and rows, the first at `first_row` (0-based).
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub name: Option<String>,
    pub first_row: usize,
    pub first_col: usize,
    pub rows: Vec<Vec<Cell>>,
}

impl Grid {
    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&Cell::Empty)
    }

    /// `C7` for the cell at (`row`, `col`) of [`Grid::rows`].
    pub fn cell_name(&self, row: usize, col: usize) -> String {
        format!(
            "{}{}",
            column_letters(self.first_col + col),
            self.first_row + row + 1
        )
    }

    /// The 1-based row number a spreadsheet shows.
    pub fn row_number(&self, row: usize) -> usize {
        self.first_row + row + 1
    }
}

/// `A`, …, `Z`, `AA`, … for a 0-based column.
pub fn column_letters(mut col: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// Why a workbook could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
    #[error("not a workbook licpack can read ({0})")]
    Workbook(#[from] calamine::Error),
    #[error("not UTF-8 text: byte 0x{byte:02X} on line {line} looks like GBK/GB18030, the Chinese Windows encoding")]
    Gbk { line: usize, byte: u8 },
    #[error("not UTF-8 text (line {line})")]
    NotUtf8 { line: usize },
    #[error("not a CSV file: {0}")]
    Csv(#[from] csv::Error),
    #[error("the workbook has no sheet")]
    NoSheet,
}

impl ReadError {
    pub fn hint(&self) -> &'static str {
        match self {
            ReadError::Gbk { .. } | ReadError::NotUtf8 { .. } => {
                "save it as \"CSV UTF-8 (逗号分隔)\" (Excel: Save As; WPS: 另存为, 编码 UTF-8), or \
                 convert it: iconv -f GB18030 -t UTF-8 in.csv > out.csv; or give licpack the .xlsx itself"
            }
            ReadError::Workbook(_) => "save it as .xlsx, .xls, .ods or UTF-8 .csv",
            _ => "check the path and that the file is a spreadsheet",
        }
    }
}

/// Every sheet of the file at `path`, in workbook order.
pub fn read(path: &Path) -> Result<Vec<Grid>, ReadError> {
    let is_csv = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if is_csv {
        return Ok(vec![read_csv(&std::fs::read(path)?)?]);
    }
    let mut book = calamine::open_workbook_auto(path)?;
    let mut grids = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name)?;
        let (first_row, first_col) = range.start().unwrap_or((0, 0));
        grids.push(Grid {
            name: Some(name),
            first_row: first_row as usize,
            first_col: first_col as usize,
            rows: range.rows().map(|r| r.iter().map(cell).collect()).collect(),
        });
    }
    if grids.is_empty() {
        return Err(ReadError::NoSheet);
    }
    Ok(grids)
}

fn cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => {
            // `to_ymd_hms_milli` knows the workbook's epoch (1900 or 1904).
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d))
                .map_or(Cell::Number(dt.as_f64()), Cell::Date)
        }
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(s) => s
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map_or_else(|| Cell::Text(s.clone()), Cell::Date),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

/// A CSV file: UTF-8 with or without byte-order mark; every cell is text.
fn read_csv(bytes: &[u8]) -> Result<Grid, ReadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        let valid = &bytes[..e.valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        let rest = &bytes[valid.len()..];
        return Err(if crate::company::looks_like_gbk(rest) {
            ReadError::Gbk {
                line,
                byte: rest[0],
            }
        } else {
            ReadError::NotUtf8 { line }
        });
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rows = Vec::new();
    for record in reader.records() {
        let cells = record?
            .iter()
            .map(|t| {
                if t.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(t.to_owned())
                }
            })
            .collect();
        rows.push(cells);
    }
    Ok(Grid {
        name: None,
        first_row: 0,
        first_col: 0,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_run_past_z() {
        let names: Vec<String> = [0, 25, 26, 27, 51, 52, 701, 702]
            .into_iter()
            .map(column_letters)
            .collect();
        assert_eq!(names, ["A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    }

    #[test]
    fn csv_with_bom_is_read_and_gbk_is_named() {
        let grid = read_csv("\u{feff}a,b\n北京,\n".as_bytes()).unwrap();
        assert_eq!(grid.cell(0, 0), &Cell::Text("a".into()));
        assert_eq!(grid.cell(1, 0), &Cell::Text("北京".into()));
        assert_eq!(grid.cell(1, 1), &Cell::Empty);
        assert_eq!(grid.cell_name(1, 0), "A2");
        let gbk = [b"a,b\nx,".as_slice(), b"\xB1\xB1\xBE\xA9\n"].concat();
        let err = read_csv(&gbk).unwrap_err();
        assert!(
            matches!(
                err,
                ReadError::Gbk {
                    line: 2,
                    byte: 0xB1
                }
            ),
            "{err}"
        );
        assert!(err.hint().contains("CSV UTF-8"));
    }
}
