//! Turns a document table into a Word table: a header row marked to repeat on every page
//! (see `package.rs` for the mark docx-rs lacks), shaded like the PDF's, cells that wrap, and
//! column widths shared out by how much text each column holds, as the PDF layout does.

use docx_rs::{
    Shading, ShdType, Table as WordTable, TableCell, TableCellMargins, TableRow, WidthType,
};

use crate::document::{Cell, Inline, Table};

use super::blocks::{aligned, runs, Context, Part};
use super::styles::{hex, twips};

pub fn table(table: &Table, cx: &mut Context) {
    cx.flush_break();
    let widths = column_widths(table, cx.style.measure().0);
    let header_style = cx.ids.table_header;
    let body_style = cx.ids.table;
    let fill = hex(cx.style.table.header_fill);
    let header = table
        .header
        .iter()
        .enumerate()
        .map(|(i, c)| {
            cell(c, i, header_style, table, &widths, cx)
                .shading(Shading::new().shd_type(ShdType::Clear).fill(fill.clone()))
        })
        .collect();
    // Rows move to the next page whole rather than split (a material's name and its note
    // stay together); `package::mark_header_rows` makes the first row repeat.
    let mut rows = vec![TableRow::new(header).cant_split()];
    for row in &table.rows {
        let cells = row
            .iter()
            .enumerate()
            .map(|(i, c)| cell(c, i, body_style, table, &widths, cx))
            .collect();
        rows.push(TableRow::new(cells).cant_split());
    }
    let pad = twips(cx.style.table.padding.0) as usize;
    let word = WordTable::new(rows)
        .set_grid(widths.clone())
        .width(widths.iter().sum(), WidthType::Dxa)
        .margins(TableCellMargins::new().margin(pad / 2, pad, pad / 2, pad));
    cx.out.push(Part::Table(Box::new(word)));
}

fn cell(
    c: &Cell,
    column: usize,
    style: &str,
    table: &Table,
    widths: &[usize],
    cx: &mut Context,
) -> TableCell {
    let align = table.columns.get(column).map(|c| c.align);
    let p = aligned(cx.paragraph(style), align);
    let p = runs(p, &c.inlines, cx.ids.table_english);
    TableCell::new()
        .add_paragraph(p)
        .width(widths.get(column).copied().unwrap_or(0), WidthType::Dxa)
}

/// Twips per column: each column first gets its longest word (so "Not recorded" or a date
/// never breaks inside), then the rest of `measure` points is shared out by how much longer
/// its longest line is (a CJK character counting as two Latin ones).
fn column_widths(table: &Table, measure: f32) -> Vec<usize> {
    let count = table.columns.len().max(table.header.len()).max(1);
    let cells = |i: usize| {
        std::iter::once(&table.header)
            .chain(&table.rows)
            .filter_map(move |row| row.get(i))
    };
    let longest = |i: usize, f: fn(&Cell) -> f32| cells(i).map(f).fold(1.0, f32::max);
    let min: Vec<f32> = (0..count).map(|i| longest(i, longest_word)).collect();
    let max: Vec<f32> = (0..count).map(|i| longest(i, longest_line)).collect();
    let total_min: f32 = min.iter().sum();
    // Half a Latin character per unit at the table's size, plus the cell padding.
    let unit = measure / (total_min.max(1.0) * 2.0).max(measure / 6.0);
    let base: Vec<f32> = min
        .iter()
        .map(|m| (m * unit).min(measure / count as f32))
        .collect();
    let rest = (measure - base.iter().sum::<f32>()).max(0.0);
    let extra: Vec<f32> = max
        .iter()
        .zip(&min)
        .map(|(a, b)| (a - b).max(0.0) + 1.0)
        .collect();
    let extra_total: f32 = extra.iter().sum();
    base.iter()
        .zip(&extra)
        .map(|(b, e)| twips(b + rest * e / extra_total) as usize)
        .collect()
}

/// The longest run a line cannot break in: a Latin word, or one CJK character.
fn longest_word(cell: &Cell) -> f32 {
    let mut longest = 0.0f32;
    let mut word = 0.0f32;
    let text = cell.inlines.iter().flat_map(|i| match i {
        Inline::Text(span) => span.text.chars().collect::<Vec<_>>(),
        Inline::CheckBox(_) => vec!['☐'],
        Inline::LineBreak => vec![' '],
    });
    for c in text {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ',' | '/' | '(' | ')') {
            word += 1.0;
        } else {
            longest = longest.max(word);
            word = 0.0;
            if !c.is_whitespace() {
                longest = longest.max(char_weight(c));
            }
        }
    }
    longest.max(word)
}

fn longest_line(cell: &Cell) -> f32 {
    let mut longest = 0.0f32;
    let mut line = 0.0f32;
    for inline in &cell.inlines {
        match inline {
            Inline::Text(span) => line += span.text.chars().map(char_weight).sum::<f32>(),
            Inline::LineBreak => {
                longest = longest.max(line);
                line = 0.0;
            }
            Inline::CheckBox(_) => line += 2.0,
        }
    }
    longest.max(line)
}

fn char_weight(c: char) -> f32 {
    match c.is_ascii() {
        true => 1.0,
        false => 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Align, Column, Span};

    fn cell(text: &str) -> Cell {
        Cell {
            inlines: vec![Inline::Text(Span::plain(text))],
        }
    }

    #[test]
    fn wider_text_gets_the_wider_column_and_widths_fill_the_measure() {
        let table = Table {
            columns: vec![Column { align: Align::Left }; 2],
            header: vec![cell("材料"), cell("状态")],
            rows: vec![vec![
                cell("营业执照副本复印件（加盖公章）的正本与副本，以及各年度的年报公示截图"),
                cell("Not recorded"),
            ]],
        };
        let widths = column_widths(&table, 481.9);
        assert!(widths[0] > 2 * widths[1], "{widths:?}");
        // "Not recorded" (12 Latin characters at 10.5 pt) fits on one line.
        assert!(widths[1] as f32 / 20.0 > 12.0 * 10.5 * 0.5, "{widths:?}");
        let sum: usize = widths.iter().sum();
        assert!((sum as i64 - 9638).abs() <= 2, "{sum}");
    }
}
