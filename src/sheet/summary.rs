//! Turns a batch report into `summary.xlsx`: one row per packet (or failed client) with its
//! status, next deadline as a date cell, days left, missing materials, and for a client with
//! a materials folder its readiness (ready, total, what has problems); overdue rows red and
//! rows due within 30 days amber by conditional formatting (so they stay right when the
//! sheet is sorted), a frozen header and a filter.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    ConditionalFormatFormula, DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError,
};

use crate::batch::{status_word, BatchReport, Row};

/// Days within which a deadline is flagged as near.
pub const NEAR_DAYS: i64 = 30;

const HEADERS: [(&str, f64); 16] = [
    ("客户 Input", 28.0),
    ("公司名称 Company", 30.0),
    ("统一社会信用代码 USCC", 22.0),
    ("许可证编号 Licence", 18.0),
    ("办理事项 Procedure", 18.0),
    ("状态 Status", 11.0),
    ("下一期限 Next deadline", 14.0),
    ("剩余天数 Days left", 10.0),
    ("期限事项 Deadline", 40.0),
    ("缺少材料 Missing materials", 30.0),
    ("文件 Packet", 40.0),
    ("错误 Error", 50.0),
    ("已备齐 Ready", 10.0),
    ("应备 Total", 10.0),
    ("有问题材料 Problems", 40.0),
    ("材料包 Dossier", 40.0),
];
/// Column of the days left (0-based), which the formatting rules read.
const DAYS_COL: &str = "H";

/// The workbook's bytes; its document date is `today`, so a rerun gives the same bytes.
pub fn summary_xlsx(report: &BatchReport, today: NaiveDate) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let stamp =
        ExcelDateTime::from_ymd(today.year() as u16, today.month() as u8, today.day() as u8)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&stamp));
    let sheet = book.add_worksheet();
    sheet.set_name("summary")?;
    let header = Format::new().set_bold().set_background_color(0xDDEBF7);
    for (c, (title, width)) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *title, &header)?;
        sheet.set_column_width(c as u16, *width)?;
    }
    for (r, row) in report.rows.iter().enumerate() {
        write_row(sheet, r as u32 + 1, row)?;
    }
    let last = report.rows.len() as u32;
    if last > 0 {
        highlight(sheet, last)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last, HEADERS.len() as u16 - 1)?;
    book.save_to_buffer()
}

fn write_row(sheet: &mut Worksheet, r: u32, row: &Row) -> Result<(), XlsxError> {
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let texts = [
        (0, row.input.as_str()),
        (1, &row.company),
        (2, &row.uscc),
        (3, &row.license),
        (4, &row.procedure),
        (5, status_word(row.status)),
        (8, row.next_deadline_label.as_deref().unwrap_or_default()),
        (10, row.path.as_deref().unwrap_or_default()),
        (11, row.error.as_deref().unwrap_or_default()),
    ];
    for (c, text) in texts {
        if !text.is_empty() {
            sheet.write_string(r, c, text)?;
        }
    }
    if let Some(d) = row.next_deadline {
        let day = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
        sheet.write_date_with_format(r, 6, &day, &date)?;
    }
    if let Some(days) = row.days_left {
        sheet.write_number(r, 7, days as f64)?;
    }
    if !row.missing_materials.is_empty() {
        sheet.write_string(r, 9, row.missing_materials.join(", "))?;
    }
    if let Some(readiness) = &row.readiness {
        sheet.write_number(r, 12, readiness.ready as f64)?;
        sheet.write_number(r, 13, readiness.total as f64)?;
        let problems = crate::batch::problems_text(readiness);
        if !problems.is_empty() {
            sheet.write_string(r, 14, problems)?;
        }
    }
    if let Some(dossier) = &row.dossier {
        sheet.write_string(r, 15, dossier)?;
    }
    Ok(())
}

/// Overdue rows red, rows due within [`NEAR_DAYS`] amber.
fn highlight(sheet: &mut Worksheet, last: u32) -> Result<(), XlsxError> {
    let days = format!("${DAYS_COL}2");
    let overdue = ConditionalFormatFormula::new()
        .set_rule(format!("=AND(ISNUMBER({days}),{days}<0)").as_str())
        .set_format(Format::new().set_background_color(0xF8CBAD));
    let near = ConditionalFormatFormula::new()
        .set_rule(format!("=AND(ISNUMBER({days}),{days}>=0,{days}<={NEAR_DAYS})").as_str())
        .set_format(Format::new().set_background_color(0xFFE699));
    let cols = HEADERS.len() as u16 - 1;
    sheet.add_conditional_format(1, 0, last, cols, &overdue)?;
    sheet.add_conditional_format(1, 0, last, cols, &near)?;
    Ok(())
}
