//! Turns dates into the words every output prints them in, so the plan's notes, the
//! templates' filters and the summaries write one date one way.

use chrono::{Datelike, NaiveDate};

/// `2026年11月25日` (no leading zeros, GB/T 9704 style).
pub fn zh_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// `25 Nov 2026` (no day/month ambiguity).
pub fn en_date(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_leading_zeros_and_day_first() {
        let d = NaiveDate::from_ymd_opt(2027, 1, 5).unwrap();
        assert_eq!(zh_date(d), "2027年1月5日");
        assert_eq!(en_date(d), "5 Jan 2027");
    }
}
