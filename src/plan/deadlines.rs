//! Turns a procedure's deadline rule and the licence/procedure dates into dated, labelled
//! [`Deadline`]s relative to "today" (renewal window, 30-day change limit, re-application path).

use chrono::{Months, NaiveDate};
use serde::Serialize;

use crate::catalog::{DeadlineRule, Procedure, Text};
use crate::company::{License, ProcedureRequest};

/// Days before a deadline from which it is shown as due soon.
const DUE_SOON_DAYS: i64 = 30;

/// One dated step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deadline {
    /// Stable id (`renewal-submit`, `change-filing`, …), also used for calendar UIDs.
    pub id: String,
    pub label: Text,
    pub date: NaiveDate,
    /// The end of a range (`date` to `until`), when the rule gives one.
    pub until: Option<NaiveDate>,
    /// Negative when the date has passed.
    pub days_left: i64,
    pub status: DeadlineStatus,
    /// What the status means for the user, when it needs saying.
    pub note: Option<Text>,
    pub source: String,
    /// The date was reckoned on the provisional working-day calendar (a year whose holiday
    /// notice is not in the catalog): shown as 暂定 / provisional.
    pub provisional: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeadlineStatus {
    /// A fact, not a task (e.g. the date a change was registered).
    Past,
    Upcoming,
    DueSoon,
    /// The date of a task has passed.
    Missed,
    /// The licence itself has expired.
    Expired,
    /// When the authority is expected to act: not a task of the company.
    Expected,
}

/// Computes the deadlines of `rule` for this licence and request.
pub fn compute(
    rule: &DeadlineRule,
    license: &License,
    request: &ProcedureRequest,
    today: NaiveDate,
) -> Vec<Deadline> {
    match rule {
        DeadlineRule::BeforeExpiry {
            submit_days_before,
            prepare_months_before,
            source,
        } => renewal(
            license,
            *submit_days_before,
            *prepare_months_before,
            source,
            today,
        ),
        DeadlineRule::AfterEvent {
            event_field,
            days,
            source,
        } => after_event(request, event_field, *days, source, today),
        DeadlineRule::Reapplication {
            submit_days_before,
            source,
        } => reapplication(license, request, *submit_days_before, source, today),
        DeadlineRule::Yearly {
            month,
            day,
            grace_month,
            grace_day,
            source,
        } => yearly(
            license,
            (*month, *day),
            (*grace_month, *grace_day),
            source,
            today,
        ),
        DeadlineRule::None => vec![expiry(license, "common practice", today)],
    }
}

pub(super) fn task(
    id: &str,
    label: Text,
    date: NaiveDate,
    source: &str,
    today: NaiveDate,
) -> Deadline {
    let days_left = (date - today).num_days();
    let status = match days_left {
        d if d < 0 => DeadlineStatus::Missed,
        d if d <= DUE_SOON_DAYS => DeadlineStatus::DueSoon,
        _ => DeadlineStatus::Upcoming,
    };
    Deadline {
        id: id.to_string(),
        label,
        date,
        until: None,
        days_left,
        status,
        note: None,
        source: source.to_string(),
        provisional: false,
    }
}

pub(super) fn text(zh: &str, en: &str) -> Text {
    Text {
        zh: zh.to_string(),
        en: en.to_string(),
    }
}

const EXPIRED_NOTE_ZH: &str =
    "许可证已过期，不能再申请续期；须重新申请许可证，过期后继续经营属无证经营。";

/// Whether `w` is the note of an expired licence.
pub fn is_expiry_note(w: &Text) -> bool {
    w.zh == EXPIRED_NOTE_ZH
}

fn expiry(license: &License, source: &str, today: NaiveDate) -> Deadline {
    let mut d = task(
        "licence-expiry",
        text("许可证有效期届满", "Licence expires"),
        license.expires,
        source,
        today,
    );
    if d.days_left < 0 {
        d.status = DeadlineStatus::Expired;
        d.note = Some(text(
            EXPIRED_NOTE_ZH,
            "The licence has expired and can no longer be renewed; apply anew. Operating after expiry is unlicensed operation.",
        ));
    }
    d
}

fn renewal(
    license: &License,
    submit_days: i64,
    prepare_months: u32,
    source: &str,
    today: NaiveDate,
) -> Vec<Deadline> {
    let submit_by = license.expires - chrono::Duration::days(submit_days);
    let prepare_from = license
        .expires
        .checked_sub_months(Months::new(prepare_months))
        .unwrap_or(license.expires);
    let mut prepare = task(
        "renewal-prepare",
        text("开始准备续期材料", "Start preparing the renewal"),
        prepare_from,
        "common practice",
        today,
    );
    if prepare.days_left < 0 {
        prepare.status = DeadlineStatus::Past;
    }
    let mut submit = task(
        "renewal-submit",
        text(
            &format!("最迟提交续期申请（届满前{submit_days}日）"),
            &format!("Last day to file the renewal ({submit_days} days before expiry)"),
        ),
        submit_by,
        source,
        today,
    );
    if submit.status == DeadlineStatus::Missed {
        submit.note = Some(text(
            "已错过续期申请期限：逾期申请不予续期。请与原发证机关确认；通常需在许可证届满后重新申请。",
            "The renewal window has been missed: a late application is not renewed. Confirm with the issuing authority; usually a new application is needed after expiry.",
        ));
    }
    vec![prepare, submit, expiry(license, source, today)]
}

fn after_event(
    request: &ProcedureRequest,
    field: &str,
    days: i64,
    source: &str,
    today: NaiveDate,
) -> Vec<Deadline> {
    let Some(event) = event_date(request, field) else {
        return Vec::new();
    };
    let mut registered = task(
        "change-registered",
        text("完成工商变更登记", "Business registration changed"),
        event,
        source,
        today,
    );
    registered.status = DeadlineStatus::Past;
    let mut due = task(
        "change-filing",
        text(
            &format!("最迟向发证机关申请变更（登记后{days}日内）"),
            &format!("Last day to file the change ({days} days after registration)"),
        ),
        event + chrono::Duration::days(days),
        source,
        today,
    );
    if due.status == DeadlineStatus::Missed {
        due.note = Some(text(
            "已逾期：请尽快提交变更申请，并附情况说明解释逾期原因。",
            "Overdue: file the change at once, with an explanatory statement for the delay.",
        ));
    }
    vec![registered, due]
}

fn event_date(request: &ProcedureRequest, field: &str) -> Option<NaiveDate> {
    match field {
        "registration_change_date" => request.registration_change_date,
        "failure_date" => request.failure_date,
        _ => None,
    }
}

fn reapplication(
    license: &License,
    request: &ProcedureRequest,
    submit_days: i64,
    source: &str,
    today: NaiveDate,
) -> Vec<Deadline> {
    let mut out = Vec::new();
    if let Some(failed) = request.failure_date {
        let mut f = task(
            "renewal-refused",
            text("续期申请未获批准", "Renewal refused"),
            failed,
            source,
            today,
        );
        f.status = DeadlineStatus::Past;
        out.push(f);
    }
    let submit_by = license.expires - chrono::Duration::days(submit_days);
    let mut corrected = task(
        "corrected-renewal",
        text(
            "整改后重新提交续期申请的最后期限",
            "Last day to file a corrected renewal",
        ),
        submit_by,
        source,
        today,
    );
    corrected.note = Some(if corrected.days_left >= 0 {
        text(
            "许可证仍在有效期内且距届满超过90日：完成整改后可重新提交续期申请。",
            "The licence is still valid and more than 90 days from expiry: after remediation a corrected renewal can be filed.",
        )
    } else {
        text(
            "已不能在届满前90日内提交续期：许可证届满后须按新申请办理，届满后停止经营以免无证经营。",
            "Too late for a renewal: after expiry apply anew, and stop the service at expiry to avoid unlicensed operation.",
        )
    });
    out.push(corrected);
    out.push(expiry(license, source, today));
    out
}

/// The next yearly filing on or after today (for the previous year), its catch-up end, and
/// the licence expiry. A day the catalog checked is always valid; year ends clamp to 28 Feb.
fn yearly(
    license: &License,
    (month, day): (u32, u32),
    (grace_month, grace_day): (u32, u32),
    source: &str,
    today: NaiveDate,
) -> Vec<Deadline> {
    use chrono::Datelike;
    let on = |year: i32, m: u32, d: u32| {
        NaiveDate::from_ymd_opt(year, m, d)
            .or_else(|| NaiveDate::from_ymd_opt(year, 2, 28))
            .unwrap_or(today)
    };
    let year = if on(today.year(), grace_month, grace_day) >= today {
        today.year()
    } else {
        today.year() + 1
    };
    let report_year = year - 1;
    let mut due = task(
        "annual-due",
        text(
            &format!("报送{report_year}年度年报的截止日"),
            &format!("Last day to file the {report_year} annual report"),
        ),
        on(year, month, day),
        source,
        today,
    );
    let mut grace = task(
        "annual-catch-up",
        text(
            "补报期截止（逾期列入不良名单）",
            "Catch-up period ends (then the bad-operator list)",
        ),
        on(year, grace_month, grace_day),
        source,
        today,
    );
    if due.status == DeadlineStatus::Missed {
        due.note = Some(text(
            "已过正常报送期：请在补报期内尽快补报。",
            "The normal filing period is over: file during the catch-up period at once.",
        ));
        grace.note = due.note.clone();
        due.status = DeadlineStatus::Past;
    }
    vec![due, grace, expiry(license, source, today)]
}

/// Warnings for the top of the checklist: every deadline that is missed or expired.
pub fn warnings(deadlines: &[Deadline], _procedure: &Procedure) -> Vec<Text> {
    deadlines
        .iter()
        .filter(|d| matches!(d.status, DeadlineStatus::Missed | DeadlineStatus::Expired))
        .filter_map(|d| d.note.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Scope;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn license(expires: &str) -> License {
        License {
            number: "B2-20220318".into(),
            scope: Scope::Nationwide,
            services: vec!["call-center".into()],
            issued: date("2022-04-30"),
            expires: date(expires),
            services_opened: None,
        }
    }

    fn request() -> ProcedureRequest {
        ProcedureRequest {
            kind: "renewal".into(),
            license: "B2-20220318".into(),
            previous_legal_rep: None,
            previous_registered_capital: None,
            registration_change_date: None,
            failure_date: None,
            failure_reasons: vec![],
        }
    }

    fn renewal_rule() -> DeadlineRule {
        DeadlineRule::BeforeExpiry {
            submit_days_before: 90,
            prepare_months_before: 6,
            source: "S11".into(),
        }
    }

    #[test]
    fn renewal_submit_date_is_90_days_before_expiry() {
        let d = compute(
            &renewal_rule(),
            &license("2027-04-30"),
            &request(),
            date("2026-11-25"),
        );
        let submit = d.iter().find(|d| d.id == "renewal-submit").unwrap();
        assert_eq!(submit.date, date("2027-01-30"));
        assert_eq!(submit.days_left, 66);
        assert_eq!(submit.status, DeadlineStatus::Upcoming);
        let prepare = d.iter().find(|d| d.id == "renewal-prepare").unwrap();
        assert_eq!(prepare.date, date("2026-10-30"));
    }

    #[test]
    fn renewal_past_the_window_is_missed_with_a_note() {
        // multi-license case: expiry 2026-12-20, submit-by 2026-09-21.
        let d = compute(
            &renewal_rule(),
            &license("2026-12-20"),
            &request(),
            date("2026-11-25"),
        );
        let submit = d.iter().find(|d| d.id == "renewal-submit").unwrap();
        assert_eq!(submit.date, date("2026-09-21"));
        assert_eq!(submit.status, DeadlineStatus::Missed);
        assert!(submit.note.as_ref().unwrap().zh.contains("已错过"));
        assert_eq!(warnings(&d, &dummy_procedure()).len(), 1);
    }

    #[test]
    fn expired_licence_is_flagged() {
        let d = compute(
            &renewal_rule(),
            &license("2026-01-01"),
            &request(),
            date("2026-11-25"),
        );
        assert!(d.iter().any(|d| d.status == DeadlineStatus::Expired));
    }

    #[test]
    fn legal_rep_change_due_30_days_after_registration() {
        let mut r = request();
        r.registration_change_date = Some(date("2026-11-10"));
        let rule = DeadlineRule::AfterEvent {
            event_field: "registration_change_date".into(),
            days: 30,
            source: "S12".into(),
        };
        let d = compute(&rule, &license("2028-03-15"), &r, date("2026-11-25"));
        let due = d.iter().find(|d| d.id == "change-filing").unwrap();
        assert_eq!(due.date, date("2026-12-10"));
        assert_eq!(due.days_left, 15);
        assert_eq!(due.status, DeadlineStatus::DueSoon);
        let late = compute(&rule, &license("2028-03-15"), &r, date("2026-12-11"));
        assert_eq!(late[1].status, DeadlineStatus::Missed);
    }

    #[test]
    fn reapplication_while_licence_still_valid_allows_corrected_renewal() {
        let mut r = request();
        r.failure_date = Some(date("2026-10-20"));
        let rule = DeadlineRule::Reapplication {
            submit_days_before: 90,
            source: "S13".into(),
        };
        let d = compute(&rule, &license("2027-06-30"), &r, date("2026-11-25"));
        let c = d.iter().find(|d| d.id == "corrected-renewal").unwrap();
        assert_eq!(c.date, date("2027-04-01"));
        assert!(c
            .note
            .as_ref()
            .unwrap()
            .en
            .contains("corrected renewal can be filed"));
    }

    #[test]
    fn annual_report_is_due_on_31_march_with_april_catch_up() {
        let rule = DeadlineRule::Yearly {
            month: 3,
            day: 31,
            grace_month: 4,
            grace_day: 30,
            source: "S62".into(),
        };
        let l = license("2028-03-15");
        let d = compute(&rule, &l, &request(), date("2026-11-25"));
        assert_eq!(d[0].date, date("2027-03-31"));
        assert!(d[0].label.zh.contains("2026年度"));
        assert_eq!(d[1].date, date("2027-04-30"));
        let april = compute(&rule, &l, &request(), date("2027-04-10"));
        assert_eq!(april[0].status, DeadlineStatus::Past);
        assert_eq!(april[1].date, date("2027-04-30"));
        assert!(april[1].note.is_some());
    }

    fn dummy_procedure() -> Procedure {
        Procedure {
            id: "renewal".into(),
            name: Text::default(),
            summary: Text::default(),
            basis: Text::default(),
            source: "S11".into(),
            required_fields: vec![],
            deadline: renewal_rule(),
            materials: vec![],
            include_service_materials: false,
            letters: vec![],
            failure_reasons: vec![],
            ..Default::default()
        }
    }
}
