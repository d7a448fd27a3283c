//! Turns company files into an agenda: every dated obligation of every licence (renewal
//! filing window, expiry, annual report, change filings of requested procedures), for the
//! `deadlines` command's table, JSON and calendar. A last day that falls on a weekend or
//! holiday also gets the working day to file by, marked provisional when a year's holiday
//! notice is missing from the calendar.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::catalog::{Catalog, DeadlineRule, Text};
use crate::company::Company;
use crate::plan::{plan, DeadlineStatus, Selection, LAST_DAYS};
use crate::workdays::Workdays;

/// One dated obligation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DueItem {
    pub company: String,
    pub uscc: String,
    pub license: String,
    /// Stable id of the kind of deadline (`renewal-submit`, `licence-expiry`, `annual-report`, …).
    pub kind: String,
    pub label: Text,
    pub date: NaiveDate,
    pub days_left: i64,
    pub status: DeadlineStatus,
    pub source: String,
    /// The working day before `date` when `date` is a day off and the last day to file.
    pub file_by: Option<NaiveDate>,
    /// `file_by` was reckoned on the provisional calendar (暂定).
    pub provisional: bool,
}

impl DueItem {
    /// A UID that stays the same across runs, for calendar clients to update events in place.
    pub fn uid(&self) -> String {
        format!("{}-{}-{}@licpack", self.uscc, self.license, self.kind)
    }
}

/// Every obligation of `company`, sorted by date.
pub fn collect(company: &Company, catalog: &Catalog, today: NaiveDate) -> Vec<DueItem> {
    let mut items = Vec::new();
    let item = |license: &str, kind: &str, label: Text, date: NaiveDate, source: &str| {
        let days_left = (date - today).num_days();
        DueItem {
            company: company.info.name.clone(),
            uscc: company.info.uscc.clone(),
            license: license.to_string(),
            kind: kind.to_string(),
            label,
            date,
            days_left,
            status: status(days_left),
            source: source.to_string(),
            file_by: None,
            provisional: false,
        }
    };
    let renewal_days = catalog.procedures.iter().find_map(|p| match &p.deadline {
        DeadlineRule::BeforeExpiry {
            submit_days_before,
            source,
            ..
        } => Some((*submit_days_before, source.clone())),
        _ => None,
    });
    for l in &company.licenses {
        if let Some((days, source)) = &renewal_days {
            let label = Text {
                zh: format!("续期申请截止（届满前{days}日）"),
                en: format!("Renewal filing deadline ({days} days before expiry)"),
            };
            items.push(item(
                &l.number,
                "renewal-submit",
                label,
                l.expires - chrono::Duration::days(*days),
                source,
            ));
        }
        let label = Text {
            zh: "许可证有效期届满".into(),
            en: "Licence expires".into(),
        };
        items.push(item(&l.number, "licence-expiry", label, l.expires, "S17"));
        let due = annual_report_due(today);
        if l.issued < NaiveDate::from_ymd_opt(due.year(), 1, 1).unwrap_or(due) && l.expires >= due {
            let label = Text {
                zh: format!("{}年度年报报送截止", due.year() - 1),
                en: format!("Annual report for {} due", due.year() - 1),
            };
            items.push(item(&l.number, "annual-report", label, due, "S9 S62"));
        }
    }
    if let Ok(plans) = plan(company, catalog, today, &Selection::default()) {
        for p in plans {
            for d in p
                .deadlines
                .iter()
                // What the authority is expected to do is no task of the company's.
                .filter(|d| !matches!(d.status, DeadlineStatus::Past | DeadlineStatus::Expected))
            {
                let dup = items
                    .iter()
                    .any(|i| i.license == p.license.number && i.date == d.date);
                if !dup {
                    items.push(item(
                        &p.license.number,
                        &d.id,
                        d.label.clone(),
                        d.date,
                        &d.source,
                    ));
                }
            }
        }
    }
    for i in &mut items {
        set_file_by(i, &catalog.calendar);
    }
    items.sort_by(|a, b| (a.date, &a.license, &a.kind).cmp(&(b.date, &b.license, &b.kind)));
    items
}

/// Sets the working day to file by on a last day still ahead that is no working day. A date
/// the calendar cannot reckon is left alone: the checklist says why.
fn set_file_by(item: &mut DueItem, calendar: &Workdays) {
    let last_day = item.kind == "annual-report" || LAST_DAYS.contains(&item.kind.as_str());
    if !last_day || item.days_left < 0 || calendar.is_working_day(item.date) != Ok(false) {
        return;
    }
    if let Ok(day) = calendar.on_or_before(item.date) {
        item.file_by = Some(day);
        item.provisional = calendar.provisional_year(day, item.date).is_some();
    }
}

fn status(days_left: i64) -> DeadlineStatus {
    match days_left {
        d if d < 0 => DeadlineStatus::Missed,
        d if d <= 30 => DeadlineStatus::DueSoon,
        _ => DeadlineStatus::Upcoming,
    }
}

/// 31 March of this year, or of next year once this year's has passed (Order 42 Art. 35).
fn annual_report_due(today: NaiveDate) -> NaiveDate {
    let this_year = NaiveDate::from_ymd_opt(today.year(), 3, 31).unwrap_or(today);
    if today <= this_year {
        this_year
    } else {
        NaiveDate::from_ymd_opt(today.year() + 1, 3, 31).unwrap_or(today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::fixtures;

    #[test]
    fn agenda_has_renewal_expiry_and_annual_report_sorted() {
        let items = collect(
            &fixtures::company(),
            &fixtures::catalog(),
            fixtures::date("2026-11-25"),
        );
        let kinds: Vec<_> = items
            .iter()
            .map(|i| (i.kind.as_str(), i.date.to_string()))
            .collect();
        assert!(
            kinds.contains(&("renewal-submit", "2027-01-30".into())),
            "{kinds:?}"
        );
        assert!(kinds.contains(&("licence-expiry", "2027-04-30".into())));
        assert!(kinds.contains(&("annual-report", "2027-03-31".into())));
        assert!(kinds.contains(&("change-filing", "2026-12-10".into())));
        assert!(items.windows(2).all(|w| w[0].date <= w[1].date));
    }
}
