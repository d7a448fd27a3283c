//! Turns agenda items into an iCalendar file (RFC 5545): one all-day VEVENT per deadline with
//! a stable UID and a reminder a week before. Written by hand because the format needed is
//! small (and the `icalendar` crate checks it in tests).

use chrono::NaiveDate;

use crate::agenda::DueItem;

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
    let summary = format!(
        "{} {} / {} — {}",
        item.license, item.label.zh, item.label.en, item.company
    );
    let description = format!(
        "{} ({})\n{}: {} / {}\n来源 Source: {}",
        item.company, item.uscc, item.license, item.label.zh, item.label.en, item.source
    );
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
    fn folding_never_splits_a_character() {
        let folded = fold(&"续".repeat(60));
        assert!(folded.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(folded.replace("\r\n ", "").trim_end(), "续".repeat(60));
    }
}
