//! Turns China's official holiday arrangements (catalog data, `catalog/calendar/YEAR.toml`,
//! one State Council General Office notice per year) into working-day arithmetic: whether a
//! day is worked, the date N working days after another, the last working day on or before a
//! date. A date in a year the data does not cover is an error ([`BeyondData`]), never a guess:
//! the arrangements change every year and are only known once the notice is out.
//!
//! Not to be confused with [`crate::calendar`], which writes iCalendar files.

mod check;
mod locate;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;

use crate::catalog::Text;
pub use check::{check_year, CalendarProblem};
pub use locate::offset_of;

/// One `catalog/calendar/YEAR.toml` file, as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarYear {
    pub year: i32,
    /// The notice that fixed the year's arrangements, then any that changed them.
    pub notice: Vec<Notice>,
    #[serde(default)]
    pub holiday: Vec<Holiday>,
}

/// A State Council General Office notice (国务院办公厅关于…部分节假日安排的通知).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    /// 文号, e.g. `国办发明电〔2019〕16号`.
    pub number: String,
    pub title: String,
    pub date: toml::value::Datetime,
}

/// One holiday period (放假调休) and the weekend days worked in exchange (调休上班).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    pub name: Text,
    pub from: toml::value::Datetime,
    pub to: toml::value::Datetime,
    #[serde(default)]
    pub workdays: Vec<toml::value::Datetime>,
}

/// A date the calendar data cannot answer for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{date} is beyond the working-day calendar (it covers {})", covered(*.first, *.last))]
pub struct BeyondData {
    pub date: NaiveDate,
    /// The years covered, `None` when there is no calendar data at all.
    pub first: Option<i32>,
    pub last: Option<i32>,
}

fn covered(first: Option<i32>, last: Option<i32>) -> String {
    match (first, last) {
        (Some(f), Some(l)) if f == l => format!("{f} only"),
        (Some(f), Some(l)) => format!("{f}–{l}"),
        _ => "no year".into(),
    }
}

/// The working-day calendar of the years present in the catalog.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Workdays {
    years: BTreeMap<i32, YearDays>,
}

#[derive(Debug, Clone, Default, PartialEq)]
struct YearDays {
    /// Days off, with the holiday they belong to.
    off: BTreeMap<NaiveDate, Text>,
    on: BTreeSet<NaiveDate>,
    notices: Vec<String>,
}

/// A plain TOML date as a chrono date (`None` for a date-time or a time).
pub fn toml_date(d: &toml::value::Datetime) -> Option<NaiveDate> {
    match (d.date, d.time, d.offset) {
        (Some(day), None, None) => NaiveDate::from_ymd_opt(
            i32::from(day.year),
            u32::from(day.month),
            u32::from(day.day),
        ),
        _ => None,
    }
}

impl Workdays {
    /// The calendar of `years`, which [`check_year`] has found clean.
    pub fn new(years: &[CalendarYear]) -> Workdays {
        let mut out = Workdays::default();
        for y in years {
            let days = out.years.entry(y.year).or_default();
            days.notices
                .extend(y.notice.iter().map(|n| n.number.clone()));
            for h in &y.holiday {
                let (Some(from), Some(to)) = (toml_date(&h.from), toml_date(&h.to)) else {
                    continue;
                };
                let period = from.iter_days().take_while(|d| *d <= to);
                days.off.extend(period.map(|d| (d, h.name.clone())));
                days.on.extend(h.workdays.iter().filter_map(toml_date));
            }
        }
        out
    }

    /// The years present, ascending.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    /// The notice numbers of `year`.
    pub fn notices(&self, year: i32) -> &[String] {
        self.years.get(&year).map_or(&[], |y| &y.notices)
    }

    fn beyond(&self, date: NaiveDate) -> BeyondData {
        BeyondData {
            date,
            first: self.years().next(),
            last: self.years().last(),
        }
    }

    /// Whether `date` is a working day: a weekday that is no holiday, or a weekend day
    /// worked in exchange (调休).
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, BeyondData> {
        let year = self
            .years
            .get(&date.year())
            .ok_or_else(|| self.beyond(date))?;
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        Ok(year.on.contains(&date) || (!weekend && !year.off.contains_key(&date)))
    }

    /// The holiday `date` belongs to, if it is a day off of one.
    pub fn holiday(&self, date: NaiveDate) -> Option<&Text> {
        self.years.get(&date.year())?.off.get(&date)
    }

    /// The `n`th working day after `date` (`date` itself not counted).
    pub fn add(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, BeyondData> {
        let mut day = date;
        let mut left = n;
        while left > 0 {
            day = day.succ_opt().ok_or_else(|| self.beyond(day))?;
            if self.is_working_day(day)? {
                left -= 1;
            }
        }
        Ok(day)
    }

    /// The last working day on or before `date`.
    pub fn on_or_before(&self, date: NaiveDate) -> Result<NaiveDate, BeyondData> {
        let mut day = date;
        while !self.is_working_day(day)? {
            day = day.pred_opt().ok_or_else(|| self.beyond(day))?;
        }
        Ok(day)
    }
}

#[cfg(test)]
mod tests;
