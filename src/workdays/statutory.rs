//! Turns the statutory holidays of 《全国年节及纪念日放假办法》 into a provisional year's days
//! off, for a year whose State Council holiday notice is not in the catalog yet. Every date
//! reckoned with it is marked provisional (暂定) downstream: the notice, once out, moves
//! days around (调休) in ways no rule predicts, and its file replaces this year entirely.
//!
//! The rules, as amended by 《国务院关于修改〈全国年节及纪念日放假办法〉的决定》 of
//! 10 November 2024 (国务院令第795号), in force since 1 January 2025 (text as republished at
//! <http://shandan.gov.cn/zfxxgk/xzzfxgk/hcz_7411/xzswgk3/ggflfw_7422/fzxcjy_7424/202412/t20241225_1334930.html>):
//!
//! - 第二条: 元旦 1 day (1 January); 春节 4 days (农历除夕, 正月初一至初三); 清明节 1 day
//!   (农历清明当日, the Qingming solar term); 劳动节 2 days (1–2 May); 端午节 1 day (五月初五);
//!   中秋节 1 day (八月十五); 国庆节 3 days (1–3 October).
//! - 第六条: a statutory day that falls on a Saturday or Sunday is made up on a working day
//!   (补假). The article does not say which; notices have always given the following ones,
//!   so that is what is assumed here.
//!
//! Left out: the weekend days worked in exchange (调休上班) and the longer breaks they buy,
//! which only the year's notice fixes.
//!
//! Lunar dates and the solar term come from `tyme4rs` (6tail's Tyme, the Rust port of the
//! widely used lunar-java/lunar-javascript calendars: an astronomical computation valid for
//! any year, so no table runs out). Its dates are checked against every notice in the
//! catalog (see the tests).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};
use tyme4rs::tyme::lunar::LunarDay;
use tyme4rs::tyme::solar::{SolarDay, SolarTerm};

use crate::catalog::Text;

/// The first year the amended rules apply to.
pub const FIRST_YEAR: i32 = 2025;
/// The last year reckoned: far enough for any licence's five-year term, near enough that a
/// date this far out is more likely a typing error than a deadline.
pub const LAST_YEAR: i32 = 2100;

/// One statutory holiday of a year: its days off by law, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct StatutoryHoliday {
    pub name: Text,
    pub days: Vec<NaiveDate>,
}

fn name(zh: &str, en: &str) -> Text {
    Text {
        zh: zh.into(),
        en: en.into(),
    }
}

fn solar(d: SolarDay) -> Option<NaiveDate> {
    let year = i32::try_from(d.get_year()).ok()?;
    let month = u32::try_from(d.get_month()).ok()?;
    let day = u32::try_from(d.get_day()).ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

fn lunar(year: i32, month: isize, day: usize) -> Option<NaiveDate> {
    solar(LunarDay::from_ymd(year as isize, month, day).get_solar_day())
}

fn days_from(first: NaiveDate, count: usize) -> Vec<NaiveDate> {
    first.iter_days().take(count).collect()
}

/// The holidays of `year` under 第二条 (`None` outside [`FIRST_YEAR`]..=[`LAST_YEAR`]).
pub fn holidays(year: i32) -> Option<Vec<StatutoryHoliday>> {
    (FIRST_YEAR..=LAST_YEAR)
        .contains(&year)
        .then(|| amended_rules(year))
        .flatten()
}

/// The 第二条 days as if the amended rules applied to `year` (the tests compare earlier
/// years' lunar dates with their notices).
fn amended_rules(year: i32) -> Option<Vec<StatutoryHoliday>> {
    let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d);
    // 除夕 is the day before 正月初一, whether the twelfth month has 29 days or 30.
    let spring_eve = lunar(year, 1, 1)?.pred_opt()?;
    let qingming = solar(SolarTerm::from_name(year as isize, "清明").get_solar_day())?;
    let holiday = |zh: &str, en: &str, first: NaiveDate, count| StatutoryHoliday {
        name: name(zh, en),
        days: days_from(first, count),
    };
    Some(vec![
        holiday("元旦", "New Year's Day", ymd(1, 1)?, 1),
        holiday("春节", "Spring Festival", spring_eve, 4),
        holiday("清明节", "Qingming Festival", qingming, 1),
        holiday("劳动节", "Labour Day", ymd(5, 1)?, 2),
        holiday("端午节", "Dragon Boat Festival", lunar(year, 5, 5)?, 1),
        holiday("中秋节", "Mid-Autumn Festival", lunar(year, 8, 15)?, 1),
        holiday("国庆节", "National Day", ymd(10, 1)?, 3),
    ])
}

fn weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Every day off of `year` with the holiday it belongs to: the statutory days, then for each
/// one on a weekend the next weekday after its holiday that is not already off (第六条).
pub fn days_off(year: i32) -> Option<BTreeMap<NaiveDate, Text>> {
    let holidays = holidays(year)?;
    let mut off: BTreeMap<NaiveDate, Text> = holidays
        .iter()
        .flat_map(|h| h.days.iter().map(|d| (*d, h.name.clone())))
        .collect();
    for h in &holidays {
        let owed = h.days.iter().filter(|d| weekend(**d)).count();
        let last = *h.days.last()?;
        let make_up: Vec<NaiveDate> = last
            .iter_days()
            .skip(1)
            .filter(|d| !weekend(*d) && !off.contains_key(d))
            .take(owed)
            .collect();
        off.extend(make_up.into_iter().map(|d| (d, h.name.clone())));
    }
    // A make-up day can run into the next year (元旦 is never late enough to matter, but a
    // late 国庆 weekend could in principle spill nowhere else): keep the year's own days.
    off.retain(|d, _| d.year() == year);
    Some(off)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn day_of(year: i32, zh: &str) -> Vec<NaiveDate> {
        holidays(year)
            .unwrap()
            .into_iter()
            .find(|h| h.name.zh == zh)
            .unwrap()
            .days
    }

    #[test]
    fn lunar_and_solar_term_dates_match_published_almanac_dates() {
        // 2027: 春节 (正月初一) 6 February, 清明 5 April, 端午 9 June, 中秋 15 September.
        assert_eq!(
            day_of(2027, "春节"),
            vec![
                d("2027-02-05"),
                d("2027-02-06"),
                d("2027-02-07"),
                d("2027-02-08")
            ]
        );
        assert_eq!(day_of(2027, "清明节"), vec![d("2027-04-05")]);
        assert_eq!(day_of(2027, "端午节"), vec![d("2027-06-09")]);
        assert_eq!(day_of(2027, "中秋节"), vec![d("2027-09-15")]);
        // 2028: 正月初一 26 January (除夕 25th), 清明 4 April.
        assert_eq!(day_of(2028, "春节")[0], d("2028-01-25"));
        assert_eq!(day_of(2028, "清明节"), vec![d("2028-04-04")]);
    }

    #[test]
    fn weekend_statutory_days_are_made_up_on_the_following_weekdays() {
        let off = days_off(2027).unwrap();
        // 春节 2027: Friday 5 to Monday 8 February; Saturday and Sunday made up Tue 9, Wed 10.
        let spring: Vec<_> = off
            .iter()
            .filter(|(_, h)| h.zh == "春节")
            .map(|(d, _)| *d)
            .collect();
        assert_eq!(
            spring,
            [5, 6, 7, 8, 9, 10].map(|n| d(&format!("2027-02-{n:02}")))
        );
        // 国庆 2027: Friday 1 to Sunday 3 October; made up Monday 4 and Tuesday 5.
        assert_eq!(
            off.get(&d("2027-10-05")).map(|h| h.zh.as_str()),
            Some("国庆节")
        );
        assert!(!off.contains_key(&d("2027-10-06")));
        // 元旦 2027 is a Friday: nothing owed.
        assert!(!off.contains_key(&d("2027-01-04")));
    }

    /// The lunar and solar-term dates against every notice in the catalog, 2020–2026: each
    /// festival's day falls inside the period the notice gives that festival.
    #[test]
    fn festival_days_fall_in_the_notices_periods() {
        let catalog = crate::catalog::builtin();
        for year in 2020..=2026 {
            for h in amended_rules(year).unwrap() {
                // Before 2025 除夕 and 2 May were no statutory days; the festival day itself
                // (正月初一 is the second of 春节's four) always was.
                let day = if h.name.zh == "春节" {
                    h.days[1]
                } else {
                    h.days[0]
                };
                let off = catalog.calendar.holiday(day).map(|t| t.zh.as_str());
                // 中秋 can fall in the 国庆 week (2020: 1 October), named after 国庆 there.
                let named = off.is_some_and(|n| n.contains(&h.name.zh) || n.contains("国庆"));
                assert!(named, "{year} {} {day}: {off:?}", h.name.zh);
            }
            if year >= FIRST_YEAR {
                for h in holidays(year).unwrap() {
                    for day in &h.days {
                        assert!(
                            catalog.calendar.holiday(*day).is_some(),
                            "{year} {} {day} is off by law",
                            h.name.zh
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn years_before_the_amendment_or_too_far_ahead_have_no_provisional_days() {
        assert!(holidays(2024).is_none());
        assert!(holidays(LAST_YEAR + 1).is_none());
        assert_eq!(
            days_off(2025).unwrap().len(),
            13 + 1,
            "2025 holidays plus one make-up"
        );
    }
}
