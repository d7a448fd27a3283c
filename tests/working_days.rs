//! The deadline table on the printed checklist counts in China's working days: a last day in
//! the 国庆 week says to file the working day before (with its date), the expected acceptance
//! and decision dates follow from the catalog's holiday calendar (the decision as a range), and
//! a date beyond the calendar data is said to be so.

mod common;

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
    let out = tempfile::tempdir().unwrap();
    let o = licpack(&[
        "generate",
        company.to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        "--date",
        date,
    ]);
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

#[test]
fn the_renewal_sample_says_its_last_day_is_beyond_the_calendar() {
    let text = checklist_text(&repo().join("samples/callcenter-renewal.toml"), TODAY);
    assert!(text.contains("2027年1月30日超出工作日日历数据"), "{text}");
    assert!(text.contains("预计受理和决定日期同样无法推算"), "{text}");
    assert_eq!(
        text.matches("超出工作日日历数据").count(),
        1,
        "said once: {text}"
    );
    assert!(
        text.contains("30Jan2027isbeyondtheworking-daycalendar"),
        "{text}"
    );
    assert!(
        !text.contains("预计作出决定"),
        "no guessed decision date: {text}"
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
