//! Turns a packet's dated deadlines and the working-day calendar into what the office's
//! clock gives: a last day that falls on a weekend or holiday gets "submit by the working
//! day before" (with that date), and a filing gets its expected acceptance and decision
//! dates (a range where the authority may extend). A date reckoned in a year whose holiday
//! notice is not in the catalog says 暂定 / provisional and why; a date the calendar cannot
//! reckon at all is said to be so, never guessed.

use chrono::{Datelike, NaiveDate, Weekday};

use super::deadlines::{task, text, Deadline, DeadlineStatus};
use crate::catalog::{Review, Text};
use crate::workdays::{BeyondData, Workdays};

use crate::dates::{en_date as en, zh_date as zh};

/// Deadlines that are the last day to file something.
pub(crate) const LAST_DAYS: &[&str] = &[
    "renewal-submit",
    "change-filing",
    "corrected-renewal",
    "annual-due",
    "annual-catch-up",
];

/// The filing the authority's clock starts from, by procedure kind.
const FILINGS: &[&str] = &["renewal-submit", "change-filing", "corrected-renewal"];

/// Adds working-day notes to every last day and, when `review` is known, the expected
/// acceptance and decision after the filing.
pub fn apply(
    deadlines: &mut Vec<Deadline>,
    review: Option<&Review>,
    calendar: &Workdays,
    today: NaiveDate,
) {
    let mut submit_on = Vec::new();
    for d in deadlines.iter_mut() {
        if LAST_DAYS.contains(&d.id.as_str()) && d.days_left >= 0 {
            submit_on.push((d.id.clone(), last_working_day(d, calendar)));
        }
    }
    let (Some(review), Some(at)) = (
        review,
        deadlines
            .iter()
            .position(|d| FILINGS.contains(&d.id.as_str())),
    ) else {
        return;
    };
    // Filed on its last (working) day when that is still ahead, else today.
    let last_day = submit_on.iter().find(|(id, _)| *id == deadlines[at].id);
    let filed = match last_day {
        Some((_, Some(day))) => *day,
        Some((_, None)) => deadlines[at].date,
        None => today,
    };
    match expected(review, calendar, filed, today) {
        Ok(rows) => {
            let after = at + 1;
            deadlines.splice(after..after, rows);
        }
        // The last day's own note already says the calendar ends; say it once.
        Err(_) if matches!(last_day, Some((_, None))) => add_note(
            &mut deadlines[at],
            text(
                "预计受理和决定日期同样无法推算。",
                "Nor can the expected acceptance and decision dates.",
            ),
        ),
        Err(beyond) => add_note(
            &mut deadlines[at],
            beyond_note(
                &beyond,
                "预计受理和决定日期",
                "the expected acceptance and decision dates",
            ),
        ),
    }
}

/// Notes on `d` when its date is no working day (or cannot be checked); the day to file by.
fn last_working_day(d: &mut Deadline, calendar: &Workdays) -> Option<NaiveDate> {
    match calendar.is_working_day(d.date) {
        Ok(true) => Some(d.date),
        Ok(false) => {
            let before = calendar.on_or_before(d.date);
            let note = match &before {
                Ok(day) => match calendar.provisional_year(*day, d.date) {
                    None => day_off_note(d.date, *day, calendar, false),
                    Some(year) => join(
                        day_off_note(d.date, *day, calendar, true),
                        provisional_note(year),
                    ),
                },
                Err(beyond) => beyond_note(beyond, "前一个工作日", "the working day before"),
            };
            add_note(d, note);
            before.ok()
        }
        Err(beyond) => {
            add_note(
                d,
                beyond_note(&beyond, "是否为工作日", "whether it is a working day"),
            );
            None
        }
    }
}

fn day_off_note(
    date: NaiveDate,
    before: NaiveDate,
    calendar: &Workdays,
    provisional: bool,
) -> Text {
    let (mark_zh, mark_en) = if provisional {
        (PROVISIONAL_ZH, PROVISIONAL_EN)
    } else {
        ("", "")
    };
    let (why_zh, why_en) = match (calendar.holiday(date), date.weekday()) {
        (Some(h), _) => (format!("{}假期", h.zh), format!("in the {} holiday", h.en)),
        (None, Weekday::Sat) => ("星期六".to_string(), "a Saturday".to_string()),
        _ => ("星期日".to_string(), "a Sunday".to_string()),
    };
    text(
        &format!(
            "最后一天（{}）为{why_zh}：请于前一个工作日{}{mark_zh}前提交。",
            zh(date),
            zh(before)
        ),
        &format!(
            "The last day ({}) is {why_en}: submit by the working day before, {}{mark_en}.",
            en(date),
            en(before)
        ),
    )
}

fn beyond_note(beyond: &BeyondData, what_zh: &str, what_en: &str) -> Text {
    let years = match (beyond.first, beyond.last) {
        (Some(f), Some(l)) => (format!("{f}–{l}年"), format!("{f}–{l}")),
        _ => ("无".to_string(), "no year".to_string()),
    };
    text(
        &format!(
            "{}超出工作日日历数据（已收录{}的放假安排），{what_zh}无法推算，请以当年国务院办公厅放假通知为准。",
            zh(beyond.date),
            years.0
        ),
        &format!(
            "{} is beyond the working-day calendar (holiday notices for {} only), so {what_en} cannot be worked out; go by that year's State Council holiday notice.",
            en(beyond.date),
            years.1
        ),
    )
}

/// The mark after a date reckoned on the provisional calendar.
const PROVISIONAL_ZH: &str = "（暂定）";
const PROVISIONAL_EN: &str = " (provisional)";

/// Why a date is 暂定: `year`'s notice is missing, so only the statutory holidays count.
fn provisional_note(year: i32) -> Text {
    text(
        &format!(
            "暂定：{year}年放假通知尚未收录，按《全国年节及纪念日放假办法》的法定节假日推算（未计调休），以通知为准。"
        ),
        &format!(
            "Provisional: the {year} holiday notice is not in the calendar yet, so this counts the statutory public holidays only (no swapped working days); the notice decides."
        ),
    )
}

fn join(first: Text, second: Text) -> Text {
    text(
        &format!("{}{}", first.zh, second.zh),
        &format!("{} {}", first.en, second.en),
    )
}

fn add_note(d: &mut Deadline, note: Text) {
    d.note = Some(match d.note.take() {
        Some(old) => join(old, note),
        None => note,
    });
}

/// The expected acceptance and decision rows for a filing on `filed`.
fn expected(
    review: &Review,
    calendar: &Workdays,
    filed: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<Deadline>, BeyondData> {
    let accepted = calendar.add(filed, review.acceptance_days)?;
    let decided = calendar.add(accepted, review.decision_days)?;
    // The extension continues from the ordinary decision day (same result, walked once).
    let extended = calendar.add(decided, review.extension_days)?;
    let (a, d, e) = (
        review.acceptance_days,
        review.decision_days,
        review.extension_days,
    );
    let mut acceptance = task(
        "acceptance-expected",
        text(
            &format!("预计受理反馈（{}提交后约{a}个工作日）", zh(filed)),
            &format!(
                "Expected acceptance feedback (about {a} working days after filing on {})",
                en(filed)
            ),
        ),
        accepted,
        &review.source,
        today,
    );
    acceptance.status = DeadlineStatus::Expected;
    let (label_zh, label_en) = if e > 0 {
        (
            format!("预计作出决定（受理后{d}个工作日内；延长{e}个工作日则至后一日期）"),
            format!("Expected decision (within {d} working days of acceptance; the later date if extended by {e})"),
        )
    } else {
        (
            format!("预计作出决定（受理后{d}个工作日内）"),
            format!("Expected decision (within {d} working days of acceptance)"),
        )
    };
    let mut decision = task(
        "decision-expected",
        text(&label_zh, &label_en),
        decided,
        &review.source,
        today,
    );
    decision.status = DeadlineStatus::Expected;
    decision.until = (e > 0).then_some(extended);
    // Each date cell says 暂定; the first row says why, once.
    if let Some(year) = calendar.provisional_year(filed, accepted) {
        acceptance.provisional = true;
        acceptance.note = Some(provisional_note(year));
    }
    if let Some(year) = calendar.provisional_year(filed, extended) {
        decision.provisional = true;
        if !acceptance.provisional {
            decision.note = Some(provisional_note(year));
        }
    }
    Ok(vec![acceptance, decision])
}

#[cfg(test)]
mod tests;
