//! The deadline table on the printed checklist counts in China's working days: a last day in
//! the 国庆 week says to file the working day before (with its date), the expected acceptance
//! and decision dates follow from the catalog's holiday calendar (the decision as a range), and
//! a date in a year without its holiday notice says 暂定 / provisional in the PDF, the DOCX,
//! the `deadlines` table, JSON and calendar, until that year's notice file is added.

use crate::common;

use std::io::Read;
use std::path::{Path, PathBuf};

use common::*;

/// The legal-rep-change sample with the registration change on 1 September 2026, so that its
/// 30-day limit falls on National Day.
fn national_day_company(dir: &Path) -> PathBuf {
    let sample = repo().join("samples/callcenter-legal-rep-change.toml");
    let text = std::fs::read_to_string(sample).unwrap();
    let changed = text.replace(
        "registration_change_date = 2026-11-10",
        "registration_change_date = 2026-09-01",
    );
    assert_ne!(changed, text);
    let path = dir.join("company.toml");
    std::fs::write(&path, changed).unwrap();
    path
}

fn checklist_text(company: &Path, date: &str) -> String {
    checklist_text_with(company, date, &[])
}

fn checklist_text_with(company: &Path, date: &str, extra: &[&str]) -> String {
    let out = tempfile::tempdir().unwrap();
    let mut args = vec![
        "generate",
        company.to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        "--date",
        date,
    ];
    args.extend_from_slice(extra);
    let o = licpack(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdfs = pdfs_in(out.path());
    assert_eq!(pdfs.len(), 1);
    pdf_text_compact(&pdfs[0])
}

#[test]
fn a_national_day_deadline_moves_back_and_the_decision_is_a_range() {
    let dir = tempfile::tempdir().unwrap();
    let text = checklist_text(&national_day_company(dir.path()), "2026-09-15");
    assert!(
        text.contains(
            "最后一天（2026年10月1日）为国庆节假期：请于前一个工作日2026年9月30日前提交。"
        ),
        "{text}"
    );
    assert!(
        text.contains("submitbytheworkingdaybefore,30Sep2026"),
        "{text}"
    );
    // Filed 30 September; 5 working days counting Saturday 10 October (调休): 13 October.
    assert!(
        text.contains("预计受理反馈（2026年9月30日提交后约5个工作日）"),
        "{text}"
    );
    assert!(text.contains("2026年10月13日13Oct2026"), "{text}");
    // 20 working days after acceptance, 30 if extended.
    assert!(text.contains("2026年11月10日至2026年11月24日"), "{text}");
    assert!(text.contains("10Nov2026to24Nov2026"), "{text}");
}

fn renewal_sample() -> PathBuf {
    repo().join("samples/callcenter-renewal.toml")
}

#[test]
fn the_renewal_samples_2027_dates_are_provisional_in_the_pdf() {
    let text = checklist_text(&renewal_sample(), TODAY);
    // Saturday 30 January 2027: file on Friday 29, provisionally.
    assert!(
        text.contains("请于前一个工作日2027年1月29日（暂定）前提交。暂定：2027年放假通知尚未收录"),
        "{text}"
    );
    assert!(text.contains("29Jan2027(provisional)"), "{text}");
    // 5 working days across 春节 (5–8 February, made up on 9 and 10): 11 February; then 20
    // (or 30) working days.
    assert!(text.contains("2027年2月11日（暂定）"), "{text}");
    assert!(text.contains("11Feb2027(provisional)"), "{text}");
    assert!(
        text.contains("2027年3月11日至2027年3月25日（暂定）"),
        "{text}"
    );
    assert!(text.contains("11Mar2027to25Mar2027(provisional)"), "{text}");
    assert!(!text.contains("超出工作日日历数据"), "{text}");
}

#[test]
fn the_docx_marks_the_same_dates_provisional() {
    let out = tempfile::tempdir().unwrap();
    let o = generate(&renewal_sample(), out.path(), &["--format", "docx"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let docx = files_under(out.path())
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "docx"))
        .expect("a DOCX");
    let mut xml = String::new();
    zip::ZipArchive::new(std::fs::File::open(docx).unwrap())
        .unwrap()
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains("2027年2月11日（暂定）"), "{xml}");
    assert!(
        xml.contains("2027年3月11日至2027年3月25日（暂定）"),
        "{xml}"
    );
    assert!(
        xml.contains("11 Mar 2027 to 25 Mar 2027 (provisional)"),
        "{xml}"
    );
}

/// A made-up 2027 notice: 春节 5 to 13 February, Saturday 20 February worked.
const NOTICE_2027: &str = "year = 2027\n\n[[notice]]\nnumber = \"国办发明电〔2026〕9号\"\n\
title = \"国务院办公厅关于2027年部分节假日安排的通知\"\ndate = 2026-11-20\n\n[[holiday]]\n\
name = { zh = \"春节\", en = \"Spring Festival\" }\nfrom = 2027-02-05\nto = 2027-02-13\n\
workdays = [2027-02-20]\n";

#[test]
fn adding_the_years_notice_file_replaces_the_provisional_dates() {
    let templates = tempfile::tempdir().unwrap();
    let calendar = templates.path().join("catalog/calendar");
    std::fs::create_dir_all(&calendar).unwrap();
    std::fs::write(calendar.join("2027.toml"), NOTICE_2027).unwrap();
    let dir = templates.path().to_str().unwrap();
    let text = checklist_text_with(&renewal_sample(), TODAY, &["--templates", dir]);
    assert!(!text.contains("暂定"), "{text}");
    assert!(!text.contains("provisional"), "{text}");
    assert!(
        text.contains("请于前一个工作日2027年1月29日前提交。"),
        "{text}"
    );
    // From Friday 29 January: 1–4 February, then Monday 15 after the notice's break.
    assert!(text.contains("2027年2月15日15Feb2027"), "{text}");
    // 20 working days counting Saturday 20 February: 12 March; 30: 26 March.
    assert!(text.contains("2027年3月12日至2027年3月26日"), "{text}");
}

#[test]
fn deadlines_table_json_and_calendar_mark_the_provisional_day_to_file_by() {
    let out = tempfile::tempdir().unwrap();
    let ics = out.path().join("due.ics");
    let sample = renewal_sample();
    let company = sample.to_str().unwrap();
    let o = licpack(&["deadlines", company, "--date", TODAY]);
    assert!(o.status.success(), "{}", stderr(&o));
    let table = stdout(&o);
    let renewal = table
        .lines()
        .find(|l| l.starts_with("2027-01-30"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(
        renewal.ends_with("file by 2027-01-29 (provisional)"),
        "{renewal}"
    );

    let args = ["deadlines", company, "--json", "--date", TODAY, "--ics"];
    let o = licpack(&[&args[..], &[ics.to_str().unwrap()]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let items: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let item = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["date"] == "2027-01-30")
        .unwrap();
    assert_eq!(item["file_by"], "2027-01-29");
    assert_eq!(item["provisional"], true);
    let calendar = std::fs::read_to_string(&ics).unwrap().replace("\r\n ", "");
    assert!(
        calendar.contains("请于2027年1月29日（暂定）前提交 / file by 29 Jan 2027 (provisional)"),
        "{calendar}"
    );
}

#[test]
fn expected_dates_are_not_listed_as_tasks_by_deadlines() {
    let dir = tempfile::tempdir().unwrap();
    let company = national_day_company(dir.path());
    let args = [
        "deadlines",
        company.to_str().unwrap(),
        "--json",
        "--date",
        "2026-09-15",
    ];
    let o = licpack(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("change-filing"), "{out}");
    assert!(!out.contains("decision-expected"), "{out}");
    // The same plan does carry the expected rows (the checklist above shows them).
    let text = checklist_text(&company, "2026-09-15");
    assert!(text.contains("预计作出决定"), "{text}");
}
