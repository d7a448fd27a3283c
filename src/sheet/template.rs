//! Turns the column list and the catalog into the `init --xlsx` template: Chinese headers
//! with the company-file key as each header's comment, widths, a frozen header row, drop-down
//! lists (province, scope, service, procedure — taken from the catalog), date-formatted date
//! columns, text-formatted code columns, and one example row that `check` accepts.

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format, Formula, Note,
    Workbook, Worksheet, XlsxError,
};

use super::columns::{Kind, SPECS};
use crate::catalog::Catalog;

/// Name of the client sheet the template writes.
pub const CLIENT_SHEET: &str = "客户";
/// The hidden sheet holding the drop-down lists (Excel caps inline lists at 255 characters).
const LISTS_SHEET: &str = "lists";
/// Rows the drop-downs and formats cover.
const ROWS: u32 = 2000;

/// The example row: one renewal that `check` accepts (the renewal sample's data).
const EXAMPLE: &[(&str, &str)] = &[
    ("company.name", "北京云声科技有限公司"),
    ("company.name_en", "Beijing Yunsheng Technology Co., Ltd."),
    ("company.uscc", "91110108MA01C2XM4Y"),
    ("company.legal_rep", "张伟"),
    ("company.legal_rep_en", "Zhang Wei"),
    ("company.address", "北京市海淀区中关村大街1号8层801室"),
    ("company.province", "beijing"),
    ("company.registered_capital", "10000000"),
    ("company.contact.name", "李娜"),
    ("company.contact.phone", "010-62345678"),
    ("company.contact.email", "lina@yunsheng.example"),
    ("license.number", "B2-20220318"),
    ("license.scope", "nationwide"),
    ("license.services", "call-center"),
    ("license.issued", "2022-04-30"),
    ("license.expires", "2027-04-30"),
    ("procedure.type", "renewal"),
];

/// The template workbook's bytes. The document date is fixed so the same catalog always
/// gives the same bytes.
pub fn template(catalog: &Catalog) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let fixed = ExcelDateTime::from_ymd(2026, 1, 1)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&fixed));
    let lists = lists(catalog);
    let sheet = book.add_worksheet();
    client_sheet(sheet, &lists)?;
    let hidden = book.add_worksheet();
    hidden.set_name(LISTS_SHEET)?.set_hidden(true);
    for (c, (_, values)) in lists.iter().enumerate() {
        for (r, value) in values.iter().enumerate() {
            hidden.write_string(r as u32, c as u16, value)?;
        }
    }
    book.save_to_buffer()
}

/// Column key → the catalog values its drop-down offers.
fn lists(catalog: &Catalog) -> Vec<(&'static str, Vec<String>)> {
    let ids = |v: Vec<&String>| v.into_iter().cloned().collect();
    vec![
        (
            "company.province",
            ids(catalog.regions.iter().map(|r| &r.id).collect()),
        ),
        (
            "license.scope",
            vec!["nationwide".into(), "provincial".into()],
        ),
        (
            "license.services",
            ids(catalog.services.iter().map(|s| &s.id).collect()),
        ),
        (
            "procedure.type",
            ids(catalog.procedures.iter().map(|p| &p.id).collect()),
        ),
    ]
}

fn client_sheet(sheet: &mut Worksheet, lists: &[(&str, Vec<String>)]) -> Result<(), XlsxError> {
    sheet.set_name(CLIENT_SHEET)?;
    let header = Format::new().set_bold().set_background_color(0xDDEBF7);
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let text = Format::new().set_num_format("@");
    for (c, spec) in SPECS.iter().enumerate() {
        let col = c as u16;
        let width = (spec.label.chars().count() * 2 + 4).max(12);
        sheet.set_column_width(col, width as f64)?;
        match spec.kind {
            Kind::Date => sheet.set_column_format(col, &date)?,
            Kind::Code => sheet.set_column_format(col, &text)?,
            _ if spec.key == "company.contact.phone" => sheet.set_column_format(col, &text)?,
            _ => sheet,
        };
        sheet.write_string_with_format(0, col, spec.label, &header)?;
        let note = Note::new(format!("{}\n{}", spec.key, spec.help)).set_author("licpack");
        sheet.insert_note(0, col, &note)?;
        if let Some(n) = lists.iter().position(|(k, _)| *k == spec.key) {
            sheet.add_data_validation(
                1,
                col,
                ROWS,
                col,
                &drop_down(n, lists[n].1.len(), spec.kind),
            )?;
        }
        example_cell(sheet, col, spec.key, spec.kind, &date)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    // Printed (or exported to PDF) it fits the page width: the columns are the point.
    sheet.set_landscape().set_print_fit_to_pages(1, 0);
    Ok(())
}

/// The drop-down of list `n` (a column of the hidden sheet). A list column may hold several
/// ids, so there the check only warns.
fn drop_down(n: usize, len: usize, kind: Kind) -> DataValidation {
    let letter = super::cells::column_letters(n);
    let range = format!("={LISTS_SHEET}!${letter}$1:${letter}${len}");
    let style = if kind == Kind::List {
        DataValidationErrorStyle::Information
    } else {
        DataValidationErrorStyle::Stop
    };
    DataValidation::new()
        .allow_list_formula(Formula::new(range))
        .set_error_style(style)
}

fn example_cell(
    sheet: &mut Worksheet,
    col: u16,
    key: &str,
    kind: Kind,
    date: &Format,
) -> Result<(), XlsxError> {
    let Some((_, value)) = EXAMPLE.iter().find(|(k, _)| *k == key) else {
        return Ok(());
    };
    match kind {
        Kind::Date => {
            let day = ExcelDateTime::parse_from_str(value)?;
            sheet.write_date_with_format(1, col, &day, date)?;
        }
        Kind::Integer => {
            sheet.write_number(1, col, value.parse::<f64>().unwrap_or_default())?;
        }
        _ => {
            sheet.write_string(1, col, *value)?;
        }
    }
    Ok(())
}
