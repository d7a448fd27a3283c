//! End-to-end: client books and other spreadsheet programs — the `init --xlsx` template is
//! filled in by a script and checks clean, LibreOffice opens it with the same headers, and
//! books LibreOffice wrote (.xlsx and .ods from a CSV, dates as real date cells) give the
//! same packets as the CSV itself.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader};
use common::*;

/// `soffice`, or `None` (with a notice) when it is absent outside CI.
fn soffice() -> Option<&'static str> {
    let found = Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some("soffice");
    }
    assert!(
        std::env::var_os("LICPACK_CI").is_none(),
        "LibreOffice (soffice) is required in CI"
    );
    eprintln!("notice: soffice not installed; skipping the LibreOffice test");
    None
}

/// Converts `inputs` to `format` in `dir` with a private profile (so a running LibreOffice
/// or a concurrent test does not interfere).
fn convert(soffice: &str, dir: &Path, format: &str, inputs: &[&Path]) -> Vec<PathBuf> {
    let profile = dir.join("lo-profile");
    let mut command = Command::new(soffice);
    command
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .arg("--headless");
    if inputs
        .iter()
        .all(|i| i.extension().is_some_and(|e| e == "csv"))
    {
        // Comma-separated, double quotes, UTF-8 (76), from line 1.
        command.arg("--infilter=CSV:44,34,76,1");
    }
    let o = command
        .args(["--convert-to", format, "--outdir"])
        .arg(dir)
        .args(inputs)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    inputs
        .iter()
        .map(|i| {
            let ext = format.split(':').next().unwrap();
            let out = dir.join(i.file_stem().unwrap()).with_extension(ext);
            assert!(out.is_file(), "soffice did not write {}", out.display());
            out
        })
        .collect()
}

const CSV_HEADER: &str = "company.name,company.name_en,company.uscc,company.legal_rep,company.legal_rep_en,\
company.address,company.address_en,company.province,company.registered_capital,company.contact.name,\
company.contact.phone,company.contact.email,license.number,license.scope,license.services,\
license.issued,license.expires,procedure.type,materials.business-license-copy";

/// The CSV row of `synthetic_client(i)`.
fn csv_row(i: usize) -> String {
    format!(
        "北京云声{i}号科技有限公司,\"Beijing Yunsheng Technology Co., Ltd.\",{},张伟,Zhang Wei,\
北京市海淀区中关村大街1号8层801室,\"Room 801, 8/F, No. 1 Zhongguancun Street, Haidian District, Beijing\",\
beijing,10000000,李娜,010-62345678,lina@yunsheng.example,B2-2022{i:04},nationwide,call-center,\
2022-04-30,2027-04-30,renewal,ready",
        synthetic_uscc(i)
    )
}

#[test]
fn books_libreoffice_wrote_give_the_packets_of_the_csv() {
    let Some(soffice) = soffice() else { return };
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("clients.csv");
    let rows: Vec<String> = (0..3).map(csv_row).collect();
    std::fs::write(&csv, format!("{CSV_HEADER}\n{}\n", rows.join("\n"))).unwrap();
    let xlsx = convert(soffice, dir.path(), "xlsx", &[&csv]).remove(0);
    let ods = convert(soffice, dir.path(), "ods", &[&csv]).remove(0);
    // Excel 97–2003, as old WPS and Excel installations still save.
    let xls = convert(soffice, dir.path(), "xls", &[&csv]).remove(0);
    // The point of the test: LibreOffice made real date cells of the date column.
    let mut book = calamine::open_workbook_auto(&xlsx).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    assert!(
        matches!(range.get((1, 16)), Some(Data::DateTime(_))),
        "{:?}",
        range.get((1, 16))
    );

    let from_csv = dir.path().join("out-csv");
    let o = run_dated("batch", &csv, &from_csv, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let expected = packets(&from_csv);
    assert_eq!(expected.len(), 3);
    for book in [&xlsx, &ods, &xls] {
        let out = dir.path().join(format!(
            "out-{}",
            book.extension().unwrap().to_string_lossy()
        ));
        let o = run_dated("batch", book, &out, &[]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}: {}",
            book.display(),
            stderr(&o)
        );
        assert!(
            packets(&out) == expected,
            "{} gives other packets",
            book.display()
        );
    }
}

#[test]
fn the_template_filled_in_by_a_script_checks_clean_and_opens_in_libreoffice() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("clients.xlsx");
    let o = licpack(&["init", "--xlsx", template.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = licpack(&["check", template.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "the example row: {}", stderr(&o));
    let again = dir.path().join("again.xlsx");
    licpack(&["init", "--xlsx", again.to_str().unwrap()]);
    assert!(
        std::fs::read(&again).unwrap() == std::fs::read(&template).unwrap(),
        "same bytes"
    );
    let o = licpack(&["init", "--xlsx", template.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "identical content is not a refusal"
    );

    let mut book = calamine::open_workbook_auto(&template).unwrap();
    let names = book.sheet_names();
    assert_eq!(names, ["客户", "lists"]);
    let range = book.worksheet_range("客户").unwrap();
    let headers: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(headers[2], "统一社会信用代码");
    assert!(
        matches!(range.get((1, 18)), Some(Data::DateTime(_))),
        "issued is a date cell"
    );
    let lists = book.worksheet_range("lists").unwrap();
    let procedures: Vec<String> = lists
        .rows()
        .filter_map(|r| r.get(3))
        .map(|c| c.to_string())
        .collect();
    assert!(
        procedures.contains(&"reapplication".to_owned()),
        "{procedures:?}"
    );

    // A script fills the template in: the example row replaced by three clients.
    let filled = dir.path().join("filled.xlsx");
    let mut out = rust_xlsxwriter::Workbook::new();
    let sheet = out.add_worksheet();
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    let values = |i: usize| -> Vec<(&str, String)> {
        vec![
            ("公司名称", format!("北京云声{i}号科技有限公司")),
            ("统一社会信用代码", synthetic_uscc(i)),
            ("法定代表人", "张伟".into()),
            ("注册地址", "北京市海淀区中关村大街1号".into()),
            ("省份", "北京".into()),
            ("注册资本（元）", "5000000".into()),
            ("许可证编号", format!("B2-2022{i:04}")),
            ("许可范围", "nationwide".into()),
            ("业务种类", "call-center，isp".into()),
            ("发证日期", "2022年4月30日".into()),
            ("有效期至", "2027/4/30".into()),
            ("办理事项", "renewal".into()),
        ]
    };
    for i in 0..3 {
        for (label, value) in values(i) {
            let c = headers.iter().position(|h| h == label).unwrap();
            sheet.write_string(i as u32 + 1, c as u16, value).unwrap();
        }
    }
    out.save(&filled).unwrap();
    let o = licpack(&["check", filled.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("3 of 3 clients valid"),
        "{}",
        stdout(&o)
    );

    let Some(soffice) = soffice() else { return };
    let csv = convert(
        soffice,
        dir.path(),
        "csv:Text - txt - csv (StarCalc):44,34,76",
        &[&template],
    )
    .remove(0);
    let text = std::fs::read_to_string(csv).unwrap();
    let first: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    assert_eq!(first, headers);
}
