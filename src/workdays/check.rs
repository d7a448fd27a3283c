//! Turns one parsed calendar year into the problems a reviewer must fix before its dates can
//! be trusted: a year that does not match its file name, no notice cited, dates outside the
//! year or not plain dates, a period that ends before it starts, a worked day that is no
//! weekend day or that is also a holiday.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};

use super::{toml_date, CalendarYear};

/// One problem, at a dotted field of the file (`holiday[2].workdays[0]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarProblem {
    pub field: String,
    pub message: String,
    pub hint: String,
}

fn problem(field: String, message: String, hint: &str) -> CalendarProblem {
    CalendarProblem {
        field,
        message,
        hint: hint.into(),
    }
}

const DATE_HINT: &str = "write a TOML date without quotes, e.g. 2026-10-01";
const YEAR_HINT: &str = "a file holds one year: put a holiday reaching into the next or previous \
year (元旦 over 31 December) in that year's file, or leave out the days outside the year when they \
are weekend days anyway";

/// Every problem of `year`, read from the file named `stem` (`2026`).
pub fn check_year(year: &CalendarYear, stem: &str) -> Vec<CalendarProblem> {
    let mut out = Vec::new();
    if stem != year.year.to_string() {
        out.push(problem(
            "year".into(),
            format!("year {} in a file named {stem}.toml", year.year),
            "name the file after the year it holds, e.g. 2026.toml",
        ));
    }
    if year.notice.is_empty() {
        out.push(problem(
            "notice".into(),
            "no notice cited".into(),
            "add [[notice]] with the number (国办发明电〔…〕…号), title and date of the State \
             Council General Office notice the dates come from",
        ));
    }
    for (i, n) in year.notice.iter().enumerate() {
        if toml_date(&n.date).is_none() {
            out.push(problem(
                format!("notice[{i}].date"),
                "not a date".into(),
                DATE_HINT,
            ));
        }
    }
    // Which holiday claims each day off, to name both sides of a conflict.
    let mut off: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    let in_year = |field: String, d: &toml::value::Datetime, out: &mut Vec<_>| {
        let day = toml_date(d);
        match day {
            None => out.push(problem(field, "not a date".into(), DATE_HINT)),
            Some(day) if day.year() != year.year => out.push(problem(
                field,
                format!("{day} is outside {}", year.year),
                YEAR_HINT,
            )),
            Some(_) => return day,
        }
        None
    };
    for (i, h) in year.holiday.iter().enumerate() {
        let from = in_year(format!("holiday[{i}].from"), &h.from, &mut out);
        let to = in_year(format!("holiday[{i}].to"), &h.to, &mut out);
        if let (Some(from), Some(to)) = (from, to) {
            if to < from {
                out.push(problem(
                    format!("holiday[{i}].to"),
                    format!("ends ({to}) before it starts ({from})"),
                    "`from` is the first day off and `to` the last",
                ));
            }
            for day in from.iter_days().take_while(|d| *d <= to) {
                off.entry(day).or_insert(i);
            }
        }
    }
    for (i, h) in year.holiday.iter().enumerate() {
        for (j, w) in h.workdays.iter().enumerate() {
            let field = format!("holiday[{i}].workdays[{j}]");
            let Some(day) = in_year(field.clone(), w, &mut out) else {
                continue;
            };
            out.extend(workday_problem(field, day, &off, year));
        }
    }
    out
}

/// A worked day must be a weekend day (a weekday is worked anyway) and no holiday.
fn workday_problem(
    field: String,
    day: NaiveDate,
    off: &BTreeMap<NaiveDate, usize>,
    year: &CalendarYear,
) -> Option<CalendarProblem> {
    if let Some(&k) = off.get(&day) {
        return Some(problem(
            field,
            format!(
                "{day} is both a worked day and a day off ({})",
                year.holiday[k].name.zh
            ),
            "check the notice: a day is either 放假 or 上班",
        ));
    }
    if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        return Some(problem(
            field,
            format!("{day} is a {}, a working day anyway", day.weekday()),
            "list only the Saturdays and Sundays the notice says are worked (上班)",
        ));
    }
    None
}
