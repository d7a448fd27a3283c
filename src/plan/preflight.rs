//! Turns the optional company data (annual reports filed, services opened, changes not yet
//! filed, licence expiry) into warnings for the top of a checklist, before a filing that
//! would fail. Which checks a procedure runs is catalog data (`preflight`).

use chrono::{Datelike, NaiveDate};

use crate::catalog::{Catalog, Preflight, Procedure, Text};
use crate::company::{Company, License};

/// The warnings of every pre-flight check `procedure` lists.
pub fn warnings(
    catalog: &Catalog,
    procedure: &Procedure,
    company: &Company,
    license: &License,
    today: NaiveDate,
) -> Vec<Text> {
    procedure
        .preflight
        .iter()
        .filter_map(|check| match check {
            Preflight::AnnualReports => annual_reports(company, license, today),
            Preflight::ServicesOpened => services_opened(catalog, license),
            Preflight::PendingChanges => pending_changes(catalog, company),
            Preflight::NotExpired => expired(license, today),
        })
        .collect()
}

/// Years a report was due: every year from the issue year to last year, while the licence was
/// valid on 31 December of that year (Order 42 Arts. 35 and 38 [S9][S10][S65]).
pub fn years_due(license: &License, today: NaiveDate) -> Vec<i32> {
    let last = today.year() - 1;
    (license.issued.year()..=last)
        .filter(|y| {
            NaiveDate::from_ymd_opt(*y, 12, 31)
                .is_some_and(|d| license.issued <= d && d <= license.expires)
        })
        .collect()
}

fn annual_reports(company: &Company, license: &License, today: NaiveDate) -> Option<Text> {
    let filed = company.info.annual_reports_filed.as_ref()?;
    let missing: Vec<String> = years_due(license, today)
        .into_iter()
        .filter(|y| !filed.contains(y))
        .map(|y| y.to_string())
        .collect();
    if missing.is_empty() {
        return None;
    }
    let (years_zh, years) = (missing.join("、"), missing.join(", "));
    Some(Text {
        zh: format!(
            "未报送{years_zh}年度年报：未按时报送年报的列入不良名单，续期将无法通过。请先在系统中补报，并经通信管理局确认移出不良名单后再提交。"
        ),
        en: format!(
            "No annual report filed for {years}: missed reports put the operator on the bad-operator list and the renewal will fail. File them in the system first and have the administration confirm removal from the list."
        ),
    })
}

/// Names of catalog entries in both languages, joined (the id where the catalog has none).
fn names<'a>(ids: impl Iterator<Item = &'a String>, name: impl Fn(&str) -> Option<Text>) -> Text {
    let (zh, en): (Vec<String>, Vec<String>) = ids
        .map(|id| {
            name(id).map_or_else(
                || (id.clone(), id.clone()),
                |t| (t.zh, format!("{} ({id})", t.en)),
            )
        })
        .unzip();
    Text {
        zh: zh.join("、"),
        en: en.join(", "),
    }
}

fn services_opened(catalog: &Catalog, license: &License) -> Option<Text> {
    let opened = license.services_opened.as_ref()?;
    let unopened: Vec<&String> = license
        .services
        .iter()
        .filter(|s| !opened.contains(s))
        .collect();
    if unopened.is_empty() {
        return None;
    }
    let Text {
        zh: list_zh,
        en: list,
    } = names(unopened.into_iter(), |id| {
        catalog.service(id).map(|s| s.name.clone())
    });
    Some(Text {
        zh: format!(
            "以下业务未开通：{list_zh}。未开通的业务不予续期，只续期已开通的部分；如需保留，请准备开通证明或日后申请变更业务范围。"
        ),
        en: format!(
            "Services not opened: {list}. Services never opened are not renewed, only those that are live; to keep them, prove they are open or later apply to change the scope."
        ),
    })
}

fn pending_changes(catalog: &Catalog, company: &Company) -> Option<Text> {
    if company.info.pending_changes.is_empty() {
        return None;
    }
    let Text {
        zh: list_zh,
        en: list,
    } = names(company.info.pending_changes.iter(), |id| {
        catalog.procedure(id).map(|p| p.name.clone())
    });
    Some(Text {
        zh: format!(
            "尚有未办理的许可证变更：{list_zh}。应先办结变更（登记后30日内），再申请续期或报送年报；逾期的附情况说明。"
        ),
        en: format!(
            "Licence changes not yet filed: {list}. Complete them first (due within 30 days of registration), then renew or file the annual report; add an explanatory statement if late."
        ),
    })
}

fn expired(license: &License, today: NaiveDate) -> Option<Text> {
    if license.expires >= today {
        return None;
    }
    Some(Text {
        zh: format!(
            "许可证已于{}届满，不能再续期：许可证到期注销，须按新申请办理（请改用 new-application 或 reapplication 并注明 late-application）；届满后继续经营属无证经营。",
            license.expires
        ),
        en: format!(
            "The licence expired on {}; it can no longer be renewed. It is cancelled at expiry and a fresh application is needed (use new-application, or reapplication with late-application); operating after expiry is unlicensed operation.",
            license.expires
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Scope;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn license(issued: &str, expires: &str) -> License {
        License {
            number: "B2-20220318".into(),
            scope: Scope::Nationwide,
            services: vec!["call-center".into()],
            issued: day(issued),
            expires: day(expires),
            services_opened: None,
        }
    }

    #[test]
    fn reports_are_due_for_each_year_end_the_licence_was_valid_until_last_year() {
        let l = license("2022-06-30", "2027-06-30");
        assert_eq!(years_due(&l, day("2026-11-25")), [2022, 2023, 2024, 2025]);
        // Issued on 1 January: that year counts; expired mid-year: that year does not.
        let l = license("2021-01-01", "2024-06-30");
        assert_eq!(years_due(&l, day("2026-11-25")), [2021, 2022, 2023]);
    }

    #[test]
    fn expired_licence_is_redirected() {
        let w = expired(&license("2021-01-01", "2026-01-01"), day("2026-11-25")).unwrap();
        assert!(w.en.contains("new-application") && w.zh.contains("新申请"));
        assert!(expired(&license("2021-01-01", "2027-01-01"), day("2026-11-25")).is_none());
    }
}
