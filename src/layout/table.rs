//! Turns a [`Table`] into flow slabs: column widths from content (minimum = widest
//! unbreakable piece, maximum = natural width; the column with most text takes the slack),
//! one slab per row with padding, grid lines and a filled bold header row that the paginator
//! repeats on each page. Rows carry cut points between lines for splitting tall rows.

use crate::document::{Align, Cell, Table};
use crate::units::{Point, Pt, Rect};

use super::blocks::{Context, Frame};
use super::memo::{set_lines, shape};
use super::page::{Item, LineSegment, RectShape, Stroke};
use super::paragraph::LineSetting;
use super::slab::{CutRule, Flow, Slab};
use super::text::{Shaped, SpanStyles};
use super::LayoutError;

/// Appends the header, the rows and the table's end to `out`.
pub(crate) fn table_flows(
    table: &Table,
    frame: Frame,
    cx: &Context,
    out: &mut Vec<Flow>,
) -> Result<(), LayoutError> {
    let columns = table
        .columns
        .len()
        .max(table.header.len())
        .max(table.rows.iter().map(Vec::len).max().unwrap_or(0));
    if columns == 0 {
        return Ok(());
    }
    let header = shape_row(&table.header, columns, true, cx)?;
    let rows = table
        .rows
        .iter()
        .map(|r| shape_row(r, columns, false, cx))
        .collect::<Result<Vec<_>, _>>()?;
    let has_header = table.header.iter().any(|c| !c.inlines.is_empty());
    let measured: Vec<&Vec<Shaped>> = if has_header {
        std::iter::once(&header).chain(&rows).collect()
    } else {
        rows.iter().collect()
    };
    let widths = column_widths(&measured, columns, frame.width, cx.style.table.padding.0);
    let aligns: Vec<Align> = (0..columns)
        .map(|c| table.columns.get(c).map_or(Align::Left, |col| col.align))
        .collect();
    let grid = Grid {
        x: frame.x,
        widths,
        aligns,
    };
    if has_header {
        let mut slab = row_slab(&header, &grid, true, cx);
        slab.keep_with_next = true;
        out.push(Flow::TableHeader(slab));
    }
    out.extend(
        rows.iter()
            .map(|row| Flow::Slab(row_slab(row, &grid, false, cx))),
    );
    out.push(Flow::TableEnd);
    Ok(())
}

struct Grid {
    x: f32,
    widths: Vec<f32>,
    aligns: Vec<Align>,
}

fn shape_row(
    cells: &[Cell],
    columns: usize,
    header: bool,
    cx: &Context,
) -> Result<Vec<Shaped>, LayoutError> {
    let table = cx.style.table;
    let mut primary = table.text;
    primary.bold |= header;
    let styles = SpanStyles {
        primary,
        secondary: table.secondary,
    };
    (0..columns)
        .map(|c| match cells.get(c) {
            Some(cell) => shape(&cell.inlines, styles, cx.fonts),
            None => Ok(Shaped::default()),
        })
        .collect()
}

/// Per column: (minimum, natural, amount of text) over all rows.
fn column_extents(rows: &[&Vec<Shaped>], columns: usize) -> Vec<(f32, f32, f32)> {
    let mut extents = vec![(0.0f32, 0.0f32, 0.0f32); columns];
    for row in rows {
        for (c, shaped) in row.iter().enumerate() {
            let (min, natural) = super::memo::extents(shaped);
            let e = &mut extents[c];
            e.0 = e.0.max(min);
            e.1 = e.1.max(natural);
            e.2 += shaped.glyphs.iter().map(|g| g.advance).sum::<f32>();
        }
    }
    extents
}

/// Widths filling `total`: natural widths when they fit (the column with most text takes the
/// slack); otherwise narrow columns keep their natural width (max-min fairness) and the rest
/// share what is left from their minimum up, or scale their minimums when even those do not
/// fit (cells then break by character).
fn column_widths(rows: &[&Vec<Shaped>], columns: usize, total: f32, padding: f32) -> Vec<f32> {
    let extents = column_extents(rows, columns);
    let min: Vec<f32> = extents.iter().map(|e| e.0 + 2.0 * padding).collect();
    let max: Vec<f32> = extents
        .iter()
        .map(|e| e.1.max(e.0) + 2.0 * padding)
        .collect();
    if max.iter().sum::<f32>() <= total {
        let mut widths = max.clone();
        let wordiest = (0..columns)
            .max_by(|&a, &b| extents[a].2.total_cmp(&extents[b].2))
            .unwrap_or(0);
        widths[wordiest] += total - max.iter().sum::<f32>();
        return widths;
    }
    let natural = narrow_columns(&max, total);
    let mut widths = max.clone();
    let open: Vec<usize> = (0..columns).filter(|&c| !natural[c]).collect();
    let remaining = total
        - (0..columns)
            .filter(|&c| natural[c])
            .map(|c| max[c])
            .sum::<f32>();
    let sum_min: f32 = open.iter().map(|&c| min[c]).sum();
    let sum_max: f32 = open.iter().map(|&c| max[c]).sum();
    for &c in &open {
        widths[c] = if sum_min >= remaining {
            min[c] * remaining / sum_min
        } else {
            min[c] + (max[c] - min[c]) * (remaining - sum_min) / (sum_max - sum_min)
        };
    }
    widths
}

/// Columns whose natural width is at most a fair share of what the wider ones leave.
fn narrow_columns(max: &[f32], total: f32) -> Vec<bool> {
    let mut natural = vec![false; max.len()];
    loop {
        let open = natural.iter().filter(|n| !**n).count();
        let used: f32 = (0..max.len()).filter(|&c| natural[c]).map(|c| max[c]).sum();
        if open <= 1 {
            return natural;
        }
        let fair = (total - used) / open as f32;
        let newly: Vec<usize> = (0..max.len())
            .filter(|&c| !natural[c] && max[c] <= fair)
            .collect();
        if newly.is_empty() {
            return natural;
        }
        newly.into_iter().for_each(|c| natural[c] = true);
    }
}

/// One row: fill (header), cell lines, grid lines; cut points where no cell line is cut.
fn row_slab(row: &[Shaped], grid: &Grid, header: bool, cx: &Context) -> Slab {
    let table = cx.style.table;
    let pad = table.padding.0;
    let mut text_items = Vec::new();
    let mut line_spans: Vec<(f32, f32)> = Vec::new();
    let mut height: f32 = 0.0;
    let mut x = grid.x;
    for (c, shaped) in row.iter().enumerate() {
        let setting = LineSetting {
            x: x + pad,
            width: grid.widths[c] - 2.0 * pad,
            align: grid.aligns[c],
            indent: 0.0,
        };
        let mut y = pad;
        for line in set_lines(shaped, setting) {
            line_spans.push((y, y + line.height));
            text_items.extend(line.items.into_iter().map(|mut item| {
                super::slab::shift(&mut item, 0.0, y);
                item
            }));
            y += line.height;
        }
        height = height.max(y + pad);
        x += grid.widths[c];
    }
    let stroke = Stroke {
        width: table.rule,
        color: table.rule_color,
    };
    let mut items = Vec::with_capacity(text_items.len() + row.len() + 4);
    if header {
        let rect = Rect {
            x: Pt(grid.x),
            y: Pt::ZERO,
            width: Pt(x - grid.x),
            height: Pt(height),
        };
        items.push(Item::Rect(RectShape {
            rect,
            stroke: None,
            fill: Some(table.header_fill),
        }));
    }
    items.extend(text_items);
    items.extend(grid_lines(grid, height, stroke));
    let cuts = clean_cuts(&line_spans, height - pad);
    let cut_rule = Some(CutRule {
        left: grid.x,
        right: x,
        stroke,
        padding: pad,
    });
    Slab {
        height,
        items,
        cuts,
        cut_rule,
        ..Slab::default()
    }
}

fn grid_lines(grid: &Grid, height: f32, stroke: Stroke) -> Vec<Item> {
    let right = grid.x + grid.widths.iter().sum::<f32>();
    let segment = |x0: f32, y0: f32, x1: f32, y1: f32| {
        Item::Line(LineSegment {
            from: Point {
                x: Pt(x0),
                y: Pt(y0),
            },
            to: Point {
                x: Pt(x1),
                y: Pt(y1),
            },
            stroke,
        })
    };
    let mut lines = vec![
        segment(grid.x, 0.0, right, 0.0),
        segment(grid.x, height, right, height),
    ];
    let mut x = grid.x;
    lines.push(segment(x, 0.0, x, height));
    for w in &grid.widths {
        x += w;
        lines.push(segment(x, 0.0, x, height));
    }
    lines
}

/// Line bottoms (before the last content) that no line of any cell straddles.
fn clean_cuts(spans: &[(f32, f32)], content_end: f32) -> Vec<f32> {
    let mut cuts: Vec<f32> = spans
        .iter()
        .map(|s| s.1)
        .filter(|&c| {
            c < content_end - 0.01
                && spans
                    .iter()
                    .all(|&(top, bottom)| !(top < c - 0.01 && bottom > c + 0.01))
        })
        .collect();
    cuts.sort_by(f32::total_cmp);
    cuts.dedup();
    cuts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::FontBook;
    use crate::layout::style::Style;

    fn widths(cells: &[&str], total: f32) -> Vec<f32> {
        let style = Style::checklist();
        let cx = Context {
            style: &style,
            fonts: FontBook::builtin(),
        };
        let row: Vec<Cell> = cells
            .iter()
            .map(|t| Cell {
                inlines: vec![crate::document::Inline::Text(crate::document::Span::plain(
                    *t,
                ))],
            })
            .collect();
        let shaped = shape_row(&row, cells.len(), false, &cx).unwrap();
        column_widths(&[&shaped], cells.len(), total, 4.0)
    }

    #[test]
    fn wordiest_column_takes_the_slack() {
        let w = widths(&["1", "营业执照副本", "是"], 400.0);
        assert!((w.iter().sum::<f32>() - 400.0).abs() < 0.01);
        assert!((w[2] - (10.5 + 8.0)).abs() < 0.01, "{w:?}");
        assert!(w[1] > 300.0, "{w:?}");
    }

    #[test]
    fn narrow_columns_keep_their_natural_width_when_text_must_wrap() {
        let long = "须在有效期内，并与申请表所填信息一致；提交前核对统一社会信用代码。".repeat(3);
        let w = widths(&["序号", &long, "状态"], 300.0);
        assert!(
            (w[0] - (21.0 + 8.0)).abs() < 0.01 && (w[2] - (21.0 + 8.0)).abs() < 0.01,
            "{w:?}"
        );
        assert!((w.iter().sum::<f32>() - 300.0).abs() < 0.01);
    }
}
