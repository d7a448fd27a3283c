//! The office's clock on real calendar data: a last day in the 国庆 week, counting across an
//! adjusted Saturday, and dates beyond the data.

use super::*;
use crate::catalog;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn review() -> Review {
    Review {
        acceptance_days: 5,
        decision_days: 20,
        extension_days: 10,
        source: "S14 S38".into(),
    }
}

fn filing(id: &str, date: &str, today: NaiveDate) -> Deadline {
    task(id, text("最后一天", "Last day"), d(date), "S12", today)
}

fn run(rows: Vec<Deadline>, today: NaiveDate) -> Vec<Deadline> {
    let mut rows = rows;
    apply(
        &mut rows,
        Some(&review()),
        &catalog::builtin().calendar,
        today,
    );
    rows
}

#[test]
fn a_last_day_in_the_national_day_week_moves_back_and_counting_uses_the_worked_saturday() {
    let today = d("2026-09-15");
    let rows = run(vec![filing("change-filing", "2026-10-01", today)], today);
    let note = rows[0].note.clone().expect("a note on the holiday");
    assert_eq!(
        note.zh,
        "最后一天（2026年10月1日）为国庆节假期：请于前一个工作日2026年9月30日前提交。"
    );
    assert!(
        note.en
            .contains("submit by the working day before, 30 Sep 2026"),
        "{}",
        note.en
    );
    // Filed Wednesday 30 September: 8, 9, 10 (Saturday, worked), 12, 13 October.
    assert_eq!(rows[1].id, "acceptance-expected");
    assert_eq!(rows[1].date, d("2026-10-13"));
    assert_eq!(rows[1].status, DeadlineStatus::Expected);
    assert!(rows[1].label.zh.contains("2026年9月30日提交后约5个工作日"));
    // Then 20 working days (10 November), or 30 if extended (24 November).
    assert_eq!(rows[2].id, "decision-expected");
    assert_eq!(
        (rows[2].date, rows[2].until),
        (d("2026-11-10"), Some(d("2026-11-24")))
    );
}

#[test]
fn a_saturday_last_day_is_flagged_and_a_working_day_is_not() {
    let today = d("2026-03-01");
    let rows = run(
        vec![
            filing("annual-due", "2026-03-28", today),
            filing("annual-catch-up", "2026-04-30", today),
        ],
        today,
    );
    assert_eq!(rows.len(), 2, "no filing, no expected rows");
    let note = rows[0].note.clone().unwrap();
    assert!(
        note.zh
            .contains("为星期六：请于前一个工作日2026年3月27日前提交"),
        "{}",
        note.zh
    );
    assert_eq!(rows[1].note, None);
}

#[test]
fn dates_in_a_year_without_its_notice_are_provisional() {
    let today = d("2026-11-25");
    // Filing on Thursday 10 December 2026: acceptance on 17 December is on notice data; the
    // decision (20 working days, across 元旦 on Friday 1 January 2027) is not.
    let rows = run(vec![filing("change-filing", "2026-12-10", today)], today);
    assert_eq!(rows[0].note, None, "a working day, no note");
    assert_eq!(
        (rows[1].date, rows[1].provisional),
        (d("2026-12-17"), false)
    );
    assert_eq!(rows[1].note, None);
    assert_eq!(
        (rows[2].date, rows[2].until, rows[2].provisional),
        (d("2027-01-15"), Some(d("2027-01-29")), true)
    );
    let note = rows[2].note.clone().expect("says why it is provisional");
    assert!(
        note.zh
            .starts_with("暂定：2027年放假通知尚未收录，按《全国年节及纪念日放假办法》"),
        "{}",
        note.zh
    );
    assert!(note.en.starts_with("Provisional: the 2027 holiday notice"));

    // A last day on Saturday 30 January 2027 moves to Friday 29, provisionally; filed then,
    // acceptance counts across 春节 (5 to 8 February, made up on 9 and 10): 11 February.
    let rows = run(vec![filing("renewal-submit", "2027-01-30", today)], today);
    let note = rows[0].note.clone().unwrap();
    assert!(
        note.zh.starts_with(
            "最后一天（2027年1月30日）为星期六：请于前一个工作日2027年1月29日（暂定）前提交。暂定："
        ),
        "{}",
        note.zh
    );
    assert!(
        note.en.contains("29 Jan 2027 (provisional). Provisional:"),
        "{}",
        note.en
    );
    assert_eq!((rows[1].date, rows[1].provisional), (d("2027-02-11"), true));
    assert!(rows[1].note.is_some(), "the first provisional row says why");
    assert_eq!(
        (rows[2].date, rows[2].until, rows[2].provisional),
        (d("2027-03-11"), Some(d("2027-03-25")), true)
    );
    assert_eq!(rows[2].note, None, "said once");
}

#[test]
fn dates_beyond_the_calendar_are_said_to_be_so() {
    let today = d("2100-11-25");
    // Filing on Friday 10 December 2100 is checked; its decision falls in 2101.
    let rows = run(vec![filing("change-filing", "2100-12-10", today)], today);
    assert_eq!(rows.len(), 1, "no guessed rows");
    let note = rows[0]
        .note
        .clone()
        .expect("says why there is no decision date");
    assert!(note.zh.starts_with("2101年1月"), "{}", note.zh);
    assert!(note
        .zh
        .contains("超出工作日日历数据（已收录2020–2026年的放假安排），预计受理和决定日期无法推算"));
    assert!(note
        .en
        .contains("beyond the working-day calendar (holiday notices for 2020–2026 only)"));

    // A last day itself beyond the data: not checked, and no rows.
    let rows = run(vec![filing("renewal-submit", "2101-01-30", today)], today);
    let note = rows[0].note.clone().unwrap();
    assert!(
        note.zh.starts_with("2101年1月30日超出工作日日历数据"),
        "{}",
        note.zh
    );
    assert!(note.zh.contains("是否为工作日无法推算"));
    // Said once: the expected dates only refer back to it.
    assert_eq!(
        note.zh.matches("超出工作日日历数据").count(),
        1,
        "{}",
        note.zh
    );
    assert!(
        note.zh.ends_with("预计受理和决定日期同样无法推算。"),
        "{}",
        note.zh
    );
    assert_eq!(
        note.en.matches("beyond the working-day calendar").count(),
        1
    );
}

#[test]
fn a_missed_filing_counts_from_today() {
    let today = d("2026-09-29");
    let mut missed = filing("change-filing", "2026-09-01", today);
    missed.note = Some(text("已逾期。", "Overdue."));
    let rows = run(vec![missed], today);
    assert_eq!(
        rows[0].note,
        Some(text("已逾期。", "Overdue.")),
        "no working-day note"
    );
    // From Tuesday 29 September: 30 September, 8, 9, 10 (Saturday, worked), 12 October.
    assert_eq!(rows[1].date, d("2026-10-12"));
}
