//! Turns agenda items into an iCalendar file (RFC 5545): one all-day VEVENT per deadline with
//! a stable UID and a reminder a week before; a last day on a day off also names the working
//! day to file by, 暂定 / provisional when reckoned without the year's holiday notice. Written
//! by hand because the format needed is
//! small (and the `icalendar` crate checks it in tests).

use chrono::NaiveDate;

use crate::agenda::DueItem;
use crate::dates::{en_date, zh_date};

/// The calendar text, CRLF line endings, long lines folded.
pub fn to_ics(items: &[DueItem], today: NaiveDate) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        format!(
            "PRODID:-//licpack//licpack {}//EN",
            env!("CARGO_PKG_VERSION")
        ),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
    ];
    for item in items {
        lines.extend(event(item, today));
    }
    lines.push("END:VCALENDAR".into());
    lines.iter().map(|l| fold(l)).collect::<Vec<_>>().join("")
}

fn event(item: &DueItem, today: NaiveDate) -> Vec<String> {
    let mut summary = format!(
        "{} {} / {} — {}",
        item.license, item.label.zh, item.label.en, item.company
    );
    let mut description = format!(
        "{} ({})\n{}: {} / {}\n来源 Source: {}",
        item.company, item.uscc, item.license, item.label.zh, item.label.en, item.source
    );
    if let Some(file_by) = file_by(item) {
        summary = format!("{summary} · {file_by}");
        description = format!("{description}\n{file_by}");
        if item.provisional {
            description.push_str(
                "\n暂定：当年放假通知尚未收录，按法定节假日推算（未计调休）。\
                 Provisional: that year's holiday notice is not in the calendar yet; counted on the statutory holidays only.",
            );
        }
    }
    vec![
        "BEGIN:VEVENT".into(),
        format!("UID:{}", escape(&item.uid())),
        format!("DTSTAMP:{}T000000Z", today.format("%Y%m%d")),
        format!("DTSTART;VALUE=DATE:{}", item.date.format("%Y%m%d")),
        format!(
            "DTEND;VALUE=DATE:{}",
            item.date.succ_opt().unwrap_or(item.date).format("%Y%m%d")
        ),
        format!("SUMMARY:{}", escape(&summary)),
        format!("DESCRIPTION:{}", escape(&description)),
        "BEGIN:VALARM".into(),
        "ACTION:DISPLAY".into(),
        "TRIGGER:-P7D".into(),
        format!("DESCRIPTION:{}", escape(&summary)),
        "END:VALARM".into(),
        "END:VEVENT".into(),
    ]
}

/// "File by" the working day before, when the last day is a day off.
fn file_by(item: &DueItem) -> Option<String> {
    let day = item.file_by?;
    let (mark_zh, mark_en) = if item.provisional {
        ("（暂定）", " (provisional)")
    } else {
        ("", "")
    };
    Some(format!(
        "请于{}{mark_zh}前提交 / file by {}{mark_en}",
        zh_date(day),
        en_date(day)
    ))
}

/// RFC 5545 §3.3.11 text escaping.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Folds a content line at 75 octets (never inside a UTF-8 character) and ends it with CRLF.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for ch in line.chars() {
        let n = ch.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += n;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::fixtures;

    #[test]
    fn calendar_parses_and_has_one_event_per_item() {
        let today = fixtures::date("2026-11-25");
        let items = crate::agenda::collect(&fixtures::company(), &fixtures::catalog(), today);
        let ics = to_ics(&items, today);
        assert!(ics.lines().all(|l| l.len() <= 76), "lines are folded");
        let parsed: icalendar::Calendar = ics.parse().expect("valid iCalendar");
        let events: Vec<_> = parsed
            .components
            .iter()
            .filter_map(|c| c.as_event())
            .collect();
        assert_eq!(events.len(), items.len());
        use icalendar::Component;
        let uids: Vec<_> = events.iter().filter_map(|e| e.get_uid()).collect();
        assert!(
            uids.contains(&"91110108MA01C2XM4Y-B2-20220318-renewal-submit@licpack"),
            "{uids:?}"
        );
        let summary = events
            .iter()
            .find_map(|e| e.get_summary().filter(|s| s.contains("Renewal filing")))
            .unwrap();
        assert!(summary.contains("北京*云声*科技有限公司"), "{summary}");
    }

    #[test]
    fn a_last_day_on_a_provisional_saturday_names_the_provisional_day_before() {
        // The renewal filing's last day, Saturday 30 January 2027: no 2027 notice yet.
        let today = fixtures::date("2026-11-25");
        let items = crate::agenda::collect(&fixtures::company(), &fixtures::catalog(), today);
        let ics = to_ics(&items, today).replace("\r\n ", "");
        let parsed: icalendar::Calendar = ics.parse().expect("valid iCalendar");
        use icalendar::Component;
        let summary = parsed
            .components
            .iter()
            .filter_map(|c| c.as_event())
            .find_map(|e| e.get_summary().filter(|s| s.contains("Renewal filing")))
            .unwrap()
            .to_string();
        assert!(
            summary
                .ends_with("请于2027年1月29日（暂定）前提交 / file by 29 Jan 2027 (provisional)"),
            "{summary}"
        );
        assert!(
            ics.contains("Provisional: that year's holiday notice"),
            "{ics}"
        );
    }

    #[test]
    fn folding_never_splits_a_character() {
        let folded = fold(&"续".repeat(60));
        assert!(folded.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(folded.replace("\r\n ", "").trim_end(), "续".repeat(60));
    }
}
