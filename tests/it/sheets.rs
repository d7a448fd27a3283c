//! End-to-end: client books in spreadsheets — a workbook gives the same packets (bytes) as
//! the equivalent folder of company files, merged rows become one company, and each kind of
//! cell problem is reported at its cell.

use crate::common;

use std::path::{Path, PathBuf};

use common::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

/// A cell to write.
#[derive(Clone)]
enum V {
    S(String),
    N(f64),
    /// A date cell (1900 system), as Excel makes one.
    D(u16, u8, u8),
    /// A number formatted as a date: a serial in whatever epoch the workbook has.
    Serial(f64),
}

fn s(text: &str) -> V {
    V::S(text.to_owned())
}

const HEADERS: [&str; 19] = [
    "公司名称",
    "英文名称",
    "统一社会信用代码",
    "法定代表人",
    "法定代表人（英文）",
    "注册地址",
    "英文地址",
    "省份",
    "注册资本（元）",
    "联系人",
    "联系电话",
    "联系邮箱",
    "license.number",
    "license.scope",
    "业务种类",
    "发证日期",
    "有效期至",
    "办理事项",
    "materials.business-license-copy",
];

/// The row of `synthetic_client(i)`, with the dates and numbers typed in varied ways.
fn client_row(i: usize) -> Vec<V> {
    let issued = match i % 3 {
        0 => V::D(2022, 4, 30),
        1 => s("2022/4/30"),
        _ => s("2022年4月30日"),
    };
    let capital = if i.is_multiple_of(2) {
        V::N(10_000_000.0)
    } else {
        s("10,000,000")
    };
    vec![
        s(&format!("北京云声{i}号科技有限公司")),
        s("Beijing Yunsheng Technology Co., Ltd."),
        s(&synthetic_uscc(i)),
        s("张伟"),
        s("Zhang Wei"),
        s(" 北京市海淀区中关村大街1号8层801室 "),
        s("Room 801, 8/F, No. 1 Zhongguancun Street, Haidian District, Beijing"),
        s("beijing"),
        capital,
        s("李娜"),
        s("010-62345678"),
        s("lina@yunsheng.example"),
        s(&format!("B2-2022{i:04}")),
        s("nationwide"),
        s("call-center"),
        issued,
        V::D(2027, 4, 30),
        s("renewal"),
        if i.is_multiple_of(2) {
            s("ready")
        } else {
            s("已备齐")
        },
    ]
}

/// Writes `sheets` (name, rows) as an .xlsx at `path`.
fn write_book(path: &Path, sheets: &[(&str, Vec<Vec<V>>)]) {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match v {
                    V::S(t) => sheet.write_string(r, c, t).map(|_| ()),
                    V::N(n) => sheet.write_number(r, c, *n).map(|_| ()),
                    V::D(y, m, d) => {
                        let day = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                        sheet.write_date_with_format(r, c, &day, &date).map(|_| ())
                    }
                    V::Serial(n) => sheet.write_number_with_format(r, c, *n, &date).map(|_| ()),
                }
                .unwrap();
            }
        }
    }
    book.save(path).unwrap();
}

fn header_row() -> Vec<V> {
    HEADERS.iter().map(|h| s(h)).collect()
}

/// The company files the book's clients correspond to.
fn client_folder(dir: &Path, clients: impl Iterator<Item = usize>) {
    for i in clients {
        std::fs::write(dir.join(format!("c{i:02}.toml")), synthetic_client(i)).unwrap();
    }
}

#[test]
fn twenty_clients_from_one_sheet_give_the_packets_of_twenty_company_files() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("clients.xlsx");
    let mut rows = vec![header_row()];
    rows.extend((0..20).map(client_row));
    // Client 3's second procedure: a row with only what differs, as after merging cells.
    let mut second: Vec<V> = vec![s(""); HEADERS.len()];
    second[17] = s("annual-report");
    rows.insert(5, second);
    write_book(&book, &[("客户", rows)]);
    let folder = dir.path().join("folder");
    std::fs::create_dir(&folder).unwrap();
    client_folder(&folder, 0..20);
    let three = synthetic_client(3)
        + "\n[[procedure]]\ntype = \"annual-report\"\nlicense = \"B2-20220003\"\n";
    std::fs::write(folder.join("c03.toml"), three).unwrap();

    let check = licpack(&["check", book.to_str().unwrap()]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}{}",
        stdout(&check),
        stderr(&check)
    );
    assert!(
        stdout(&check).contains("20 of 20 clients valid"),
        "{}",
        stdout(&check)
    );

    let (from_book, from_folder) = (dir.path().join("a"), dir.path().join("b"));
    let o = run_dated("batch", &book, &from_book, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("21 packets written"), "{}", stdout(&o));
    let o = run_dated("batch", &folder, &from_folder, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (a, b) = (packets(&from_book), packets(&from_folder));
    assert_eq!(a.len(), 21);
    let names = |v: &[(PathBuf, Vec<u8>)]| v.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b));
    for ((path, x), (_, y)) in a.iter().zip(&b) {
        assert!(
            x == y,
            "{} differs between workbook and folder",
            path.display()
        );
    }
    let renewal = from_book
        .join(format!("北京云声7号科技有限公司-{}", synthetic_uscc(7)))
        .join("B2-20220007-renewal.pdf");
    let text = pdf_text_compact(&renewal);
    assert!(
        text.contains("北京云声7号科技有限公司") && text.contains("2027年4月30日"),
        "{text}"
    );
    let summary = std::fs::read_to_string(from_book.join("summary.csv")).unwrap();
    assert!(
        summary.contains("clients.xlsx › 客户 › rows 5, 6"),
        "{summary}"
    );
}

/// `(cell, message part)` of every error `check --json` reports for `book`.
fn json_errors(book: &Path) -> Vec<(String, String, String)> {
    let o = licpack(&["check", "--json", book.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    report[0]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let cell = &e["cell"];
            (
                format!(
                    "{} › {}",
                    cell["sheet"].as_str().unwrap_or("-"),
                    cell["cell"].as_str().unwrap()
                ),
                e["message"].as_str().unwrap().to_owned(),
                e["hint"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn assert_error(errors: &[(String, String, String)], cell: &str, message: &str, hint: &str) {
    assert!(
        errors
            .iter()
            .any(|(c, m, h)| c == cell && m.contains(message) && h.contains(hint)),
        "no error at {cell} with {message:?} / {hint:?} in:\n{errors:#?}"
    );
}

#[test]
fn each_kind_of_cell_problem_is_reported_at_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("clients.xlsx");
    let mut rows = vec![header_row()];
    let mut with = |i: usize, col: usize, v: V| {
        let mut row = client_row(i);
        row[col] = v;
        rows.push(row);
    };
    with(30, 0, s("北京云声30号科技有限公司")); // row 2, fine alone
    with(30, 0, s("北京云声三十号科技有限公司")); // row 3: same USCC, other name
    with(31, 2, V::N(911_101_087_000_000_000.0)); // row 4: USCC turned into a number
    with(32, 2, s("9.11101E+17")); // row 5: the same, through a CSV
    with(33, 2, s(&synthetic_uscc(33).replace("MA", "MB"))); // row 6: check character
    with(34, 16, s("2027-13-45")); // row 7: not a date
    with(35, 14, s("call-centre、isp")); // row 8: list with a misspelt service
    with(36, 18, s("soon")); // row 9: unknown status
    let wide: String = synthetic_uscc(37)
        .chars()
        .map(|c| char::from_u32(u32::from(c) + 0xFEE0).unwrap())
        .collect();
    with(37, 2, s(&wide)); // row 10: full-width USCC, read and said so
    with(38, 17, s("renewel")); // row 11: misspelt procedure
    with(39, 15, V::N(44681.0)); // row 12: a bare serial (2022-04-30), fine
    let materials = vec![
        vec![s("uscc"), s("material"), s("status"), s("note")],
        vec![
            s(&synthetic_uscc(39)),
            s("financial-statements"),
            s("缺"),
            s("审计报告12月5日出具"),
        ],
        vec![s(&synthetic_uscc(99)), s("financial-statements"), s("缺")],
    ];
    write_book(&book, &[("客户", rows), ("materials", materials)]);

    let errors = json_errors(&book);
    assert_error(
        &errors,
        "客户 › A3",
        "\"北京云声三十号科技有限公司\" here but \"北京云声30号科技有限公司\" in A2",
        "agree",
    );
    // Row 3 repeats row 2's licence and procedure: that is its own error.
    assert_error(
        &errors,
        "客户 › R3",
        "a second \"renewal\" for licence B2-20220030",
        "",
    );
    assert_error(
        &errors,
        "客户 › C4",
        "turned into a number",
        "format the column as text",
    );
    assert_error(
        &errors,
        "客户 › C5",
        "turned into a number (9.11101E+17)",
        "as text",
    );
    assert_error(&errors, "客户 › C6", "check character", "");
    assert_error(
        &errors,
        "客户 › Q7",
        "not a date: \"2027-13-45\"",
        "2027年4月30日",
    );
    assert_error(&errors, "客户 › O8", "did you mean \"call-center\"", "");
    assert_error(&errors, "客户 › S9", "unknown status \"soon\"", "已备齐");
    assert_error(&errors, "客户 › R11", "did you mean \"renewal\"", "");
    assert_error(&errors, "materials › A3", "no client row has the USCC", "");
    assert_eq!(errors.len(), 10, "{errors:#?}");

    let out = dir.path().join("out");
    let o = run_dated("batch", &book, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    // The book-level error (an orphan materials row) stops the batch before any packet.
    assert!(packets(&out).is_empty());
    assert!(stderr(&o).contains("materials › A3"), "{}", stderr(&o));
}

#[test]
fn bad_clients_are_skipped_and_notes_said_once() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("clients.xlsx");
    let wide: String = synthetic_uscc(37)
        .chars()
        .map(|c| char::from_u32(u32::from(c) + 0xFEE0).unwrap())
        .collect();
    let mut fine = client_row(37);
    fine[2] = s(&wide);
    let mut bad = client_row(33);
    bad[16] = s("2027-13-45");
    let mut noted = client_row(39);
    noted[15] = V::N(44681.0);
    let materials = vec![
        vec![s("统一社会信用代码"), s("材料"), s("状态"), s("备注")],
        vec![
            s(&synthetic_uscc(39)),
            s("financial-statements"),
            s("缺"),
            s("审计报告12月5日出具"),
        ],
    ];
    write_book(
        &book,
        &[
            ("客户", vec![header_row(), fine, bad, noted]),
            ("材料", materials),
        ],
    );
    let out = dir.path().join("out");
    let o = run_dated("batch", &book, &out, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("note: ") && err.contains("客户 › C2 (统一社会信用代码): full-width"),
        "{err}"
    );
    assert!(err.contains("客户 › Q3 (有效期至): not a date"), "{err}");
    assert!(stdout(&o).contains("2 packets written") && stdout(&o).contains("1 clients failed"));
    let noted = out
        .join(format!("北京云声39号科技有限公司-{}", synthetic_uscc(39)))
        .join("B2-20220039-renewal.pdf");
    let text = pdf_text_compact(&noted);
    assert!(text.contains("审计报告12月5日出具"), "{text}");
}

#[test]
fn unknown_headers_stop_the_batch_with_did_you_mean() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("clients.xlsx");
    let mut header = header_row();
    header[16] = s("license.expire");
    write_book(&book, &[("客户", vec![header, client_row(1)])]);
    let errors = json_errors(&book);
    assert_error(
        &errors,
        "客户 › Q1",
        "did you mean \"license.expires\"",
        "rename",
    );
    let out = dir.path().join("out");
    let o = run_dated("batch", &book, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(packets(&out).is_empty());
}

#[test]
fn a_gbk_csv_is_named_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("clients.csv");
    std::fs::write(
        &csv,
        [
            b"company.name,company.uscc\n".as_slice(),
            b"\xB1\xB1\xBE\xA9,x\n",
        ]
        .concat(),
    )
    .unwrap();
    let o = licpack(&["check", csv.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("line 2 looks like GBK") && err.contains("CSV UTF-8"),
        "{err}"
    );
}

/// Marks a workbook written by rust_xlsxwriter as using the 1904 date system (Excel for Mac).
fn make_1904(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        let mut text = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut text).unwrap();
        if file.name() == "xl/workbook.xml" {
            let xml = String::from_utf8(text).unwrap();
            assert!(xml.contains("<workbookPr "), "{xml}");
            text = xml
                .replace("<workbookPr ", "<workbookPr date1904=\"1\" ")
                .into_bytes();
        }
        out.start_file(file.name(), zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut out, &text).unwrap();
    }
    std::fs::write(path, out.finish().unwrap().into_inner()).unwrap();
}

#[test]
fn date_cells_of_1904_workbooks_are_read_in_their_epoch() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("mac.xlsx");
    let mut row = client_row(5);
    // 2022-04-30 and 2027-04-30 counted from 1904-01-01.
    row[15] = V::Serial(44681.0 - 1462.0);
    row[16] = V::Serial(46507.0 - 1462.0);
    write_book(&book, &[("客户", vec![header_row(), row])]);
    make_1904(&book);
    let folder = dir.path().join("folder");
    std::fs::create_dir(&folder).unwrap();
    client_folder(&folder, 5..6);
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let o = run_dated("batch", &book, &a, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    run_dated("batch", &folder, &b, &[]);
    assert_eq!(packets(&a), packets(&b));
    assert_eq!(packets(&a).len(), 1);
}

#[test]
fn import_writes_commented_company_files_that_batch_to_the_same_packets() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("clients.xlsx");
    let mut rows = vec![header_row()];
    rows.extend((0..4).map(client_row));
    let mut bad = client_row(9);
    bad[16] = s("soon");
    rows.push(bad);
    write_book(&book, &[("客户", rows)]);
    let folder = dir.path().join("clients");
    let import = |extra: &[&str]| {
        let mut args = vec![
            "import",
            book.to_str().unwrap(),
            "--out",
            folder.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        licpack(&args)
    };
    let o = import(&[]);
    assert_eq!(o.status.code(), Some(1), "the invalid row: {}", stderr(&o));
    assert!(
        stderr(&o).contains("客户 › Q6 (有效期至): not a date"),
        "{}",
        stderr(&o)
    );
    assert_eq!(stdout(&o).matches("wrote ").count(), 4, "{}", stdout(&o));
    let file = folder.join(format!(
        "北京云声2号科技有限公司-{}.toml",
        synthetic_uscc(2)
    ));
    let text = std::fs::read_to_string(&file).unwrap();
    let uscc_line = format!(
        "uscc = \"{}\"  # 客户 › C4 (统一社会信用代码)",
        synthetic_uscc(2)
    );
    assert!(text.contains(&uscc_line), "{text}");
    assert!(
        text.contains("expires = 2027-04-30  # 客户 › Q4 (有效期至)"),
        "{text}"
    );

    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    run_dated("batch", &book, &a, &[]);
    let o = run_dated("batch", &folder, &b, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(packets(&b).len(), 4);
    assert!(
        packets(&a) == packets(&b),
        "import then batch differs from batch on the book"
    );

    // A re-import changes nothing; a file edited since is refused, then replaced with --force.
    assert_eq!(stdout(&import(&[])).matches("unchanged ").count(), 4);
    std::fs::write(&file, text.replace("张伟", "张三")).unwrap();
    let o = import(&[]);
    assert!(
        stderr(&o).contains("already exists with different content"),
        "{}",
        stderr(&o)
    );
    assert!(std::fs::read_to_string(&file).unwrap().contains("张三"));
    let o = import(&["--force"]);
    assert!(stdout(&o).contains("replaced "), "{}", stdout(&o));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}

#[test]
fn summary_xlsx_has_a_row_per_packet_with_status_deadline_and_missing_materials() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("clients.xlsx");
    let mut overdue = client_row(1);
    overdue[16] = s("2027-01-15"); // renewal due 90 days before: past on 2026-11-25
    let mut missing = client_row(2);
    missing[18] = s("缺");
    let mut bad = client_row(3);
    bad[2] = s("91110108MA0000003X");
    write_book(
        &book,
        &[(
            "客户",
            vec![header_row(), client_row(0), overdue, missing, bad],
        )],
    );
    let out = dir.path().join("out");
    let o = run_dated("batch", &book, &out, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("summary.xlsx"), "{}", stderr(&o));

    let path = out.join("summary.xlsx");
    let mut xlsx = calamine::open_workbook_auto(&path).unwrap();
    let range = calamine::Reader::worksheet_range(&mut xlsx, "summary").unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows.len(), 5, "{rows:#?}");
    assert_eq!(rows[0][7], "剩余天数 Days left");
    let by_uscc = |i: usize| rows.iter().find(|r| r[2] == synthetic_uscc(i)).unwrap();
    assert_eq!(by_uscc(0)[5], "written");
    assert_eq!(by_uscc(0)[7], "66");
    assert!(by_uscc(1)[7].starts_with('-'), "{:?}", by_uscc(1));
    assert_eq!(by_uscc(2)[9], "business-license-copy");
    let failed = rows.iter().find(|r| r[5] == "failed").unwrap();
    assert!(
        failed[0].contains("clients.xlsx › 客户 › row 5"),
        "{failed:?}"
    );
    assert!(failed[11].contains("C5 (统一社会信用代码)"), "{failed:?}");
    assert!(matches!(
        range.get((1, 6)),
        Some(calamine::Data::DateTime(_))
    ));

    // The highlighting rules are in the sheet (calamine does not read them).
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    assert!(
        xml.contains("$H2&lt;0") && xml.contains("$H2&lt;=30"),
        "{xml}"
    );
    assert!(xml.contains("state=\"frozen\""));
    // Same input and date from scratch: same bytes.
    let before = std::fs::read(&path).unwrap();
    std::fs::remove_dir_all(&out).unwrap();
    run_dated("batch", &book, &out, &[]);
    assert!(std::fs::read(&path).unwrap() == before);
}
