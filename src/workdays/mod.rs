//! Turns China's official holiday arrangements (catalog data, `catalog/calendar/YEAR.toml`,
//! one State Council General Office notice per year) into working-day arithmetic: whether a
//! day is worked, the date N working days after another, the last working day on or before a
//! date. The arrangements change every year and are only known once the notice is out, so a
//! year without its notice file is reckoned from the statutory holidays alone ([`statutory`])
//! and every answer that touched such a year can be asked about ([`Workdays::provisional_year`])
//! to be marked 暂定. A date before the current rules or too far ahead is an error
//! ([`BeyondData`]), never a guess.
//!
//! Not to be confused with [`crate::calendar`], which writes iCalendar files.

mod check;
mod locate;
pub mod statutory;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

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

/// The working-day calendar of the years present in the catalog, and provisionally of the
/// years after the 2024 amendment that have no notice file.
#[derive(Debug, Clone)]
pub struct Workdays {
    years: BTreeMap<i32, YearDays>,
    /// Statutory days off of each year from [`statutory::FIRST_YEAR`], worked out on first
    /// use (most runs never leave the notice years).
    provisional: Vec<OnceLock<BTreeMap<NaiveDate, Text>>>,
}

impl Default for Workdays {
    fn default() -> Workdays {
        Workdays::new(&[])
    }
}

/// Two calendars are the same when their notice data is: the provisional years follow from it.
impl PartialEq for Workdays {
    fn eq(&self, other: &Workdays) -> bool {
        self.years == other.years
    }
}

/// Where a year's days off come from.
enum YearSource<'a> {
    Notice(&'a YearDays),
    Provisional(&'a BTreeMap<NaiveDate, Text>),
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
        let span = statutory::LAST_YEAR - statutory::FIRST_YEAR + 1;
        let mut out = Workdays {
            years: BTreeMap::new(),
            provisional: (0..span).map(|_| OnceLock::new()).collect(),
        };
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

    /// The days off of `year`: its notice's, else the statutory ones, else none known.
    fn year(&self, year: i32) -> Option<YearSource<'_>> {
        if let Some(days) = self.years.get(&year) {
            return Some(YearSource::Notice(days));
        }
        let slot = self
            .provisional
            .get(usize::try_from(year - statutory::FIRST_YEAR).ok()?)?;
        let days = slot.get_or_init(|| statutory::days_off(year).unwrap_or_default());
        Some(YearSource::Provisional(days))
    }

    /// The first year from `from` to `to` (either order) that is reckoned provisionally,
    /// i.e. whose notice file is missing: any answer spanning those dates is then 暂定.
    pub fn provisional_year(&self, from: NaiveDate, to: NaiveDate) -> Option<i32> {
        let (a, b) = (from.min(to).year(), from.max(to).year());
        (a..=b).find(|y| {
            !self.years.contains_key(y)
                && (statutory::FIRST_YEAR..=statutory::LAST_YEAR).contains(y)
        })
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
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        match self.year(date.year()).ok_or_else(|| self.beyond(date))? {
            YearSource::Notice(year) => {
                Ok(year.on.contains(&date) || (!weekend && !year.off.contains_key(&date)))
            }
            YearSource::Provisional(off) => Ok(!weekend && !off.contains_key(&date)),
        }
    }

    /// The holiday `date` belongs to, if it is a day off of one.
    pub fn holiday(&self, date: NaiveDate) -> Option<&Text> {
        match self.year(date.year())? {
            YearSource::Notice(year) => year.off.get(&date),
            YearSource::Provisional(off) => off.get(&date),
        }
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
