//! Working-day arithmetic over the built-in calendar (`templates/catalog/calendar/`), each
//! case checked by hand against the year's notice.

use super::*;
use crate::catalog;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn cal() -> &'static Workdays {
    &catalog::builtin().calendar
}

#[test]
fn covers_2020_to_2026_with_their_notices() {
    assert_eq!(
        cal().years().collect::<Vec<_>>(),
        (2020..=2026).collect::<Vec<_>>()
    );
    assert_eq!(cal().notices(2026), ["国办发明电〔2025〕7号"]);
    assert_eq!(
        cal().notices(2020),
        ["国办发明电〔2019〕16号", "国办发明电〔2020〕1号"]
    );
}

#[test]
fn national_day_week_is_off_and_its_saturday_is_worked() {
    // 国办发明电〔2025〕7号: 10月1日至7日放假调休; 9月20日（周日）、10月10日（周六）上班.
    for day in 1..=7 {
        let date = d(&format!("2026-10-0{day}"));
        assert_eq!(cal().is_working_day(date), Ok(false), "{date}");
    }
    assert_eq!(cal().is_working_day(d("2026-10-08")), Ok(true));
    assert_eq!(
        cal().is_working_day(d("2026-10-10")),
        Ok(true),
        "调休 Saturday"
    );
    assert_eq!(
        cal().is_working_day(d("2026-10-11")),
        Ok(false),
        "plain Sunday"
    );
    assert_eq!(
        cal().is_working_day(d("2026-09-20")),
        Ok(true),
        "调休 Sunday"
    );
    // Five working days from Wednesday 30 September: 8, 9, 10 (Saturday, worked), 12, 13.
    assert_eq!(cal().add(d("2026-09-30"), 5), Ok(d("2026-10-13")));
    // A last day on the holiday moves back to the last working day before it.
    assert_eq!(cal().on_or_before(d("2026-10-05")), Ok(d("2026-09-30")));
}

#[test]
fn an_adjusted_saturday_counts_as_a_working_day() {
    // 国办发明电〔2025〕7号: 春节2月15日至23日; 2月14日（周六）、2月28日（周六）上班.
    assert_eq!(cal().is_working_day(d("2026-02-14")), Ok(true));
    assert_eq!(cal().on_or_before(d("2026-02-15")), Ok(d("2026-02-14")));
    // From Friday 13 February: 14 (Saturday, worked), then 24, 25, 26, 27.
    assert_eq!(cal().add(d("2026-02-13"), 5), Ok(d("2026-02-27")));
    assert_eq!(cal().add(d("2026-02-27"), 1), Ok(d("2026-02-28")));
}

#[test]
fn counting_crosses_the_year_boundary() {
    // 2020-12-31 (Thursday), then 国办发明电〔2020〕27号: 元旦 2021年1月1日至3日.
    assert_eq!(cal().add(d("2020-12-31"), 1), Ok(d("2021-01-04")));
    // 2025-12-31 (Wednesday), then 国办发明电〔2025〕7号: 1月1日至3日放假, 1月4日（周日）上班.
    assert_eq!(cal().add(d("2025-12-31"), 1), Ok(d("2026-01-04")));
    assert_eq!(cal().on_or_before(d("2026-01-03")), Ok(d("2025-12-31")));
}

#[test]
fn the_2020_extension_notice_is_applied() {
    // 国办发明电〔2020〕1号 extended the Spring Festival to 2 February; 1 February (a Saturday
    // worked under the first notice) was no longer worked.
    assert_eq!(cal().is_working_day(d("2020-01-31")), Ok(false));
    assert_eq!(cal().is_working_day(d("2020-02-01")), Ok(false));
    assert_eq!(cal().add(d("2020-01-23"), 1), Ok(d("2020-02-03")));
    assert_eq!(cal().is_working_day(d("2020-01-19")), Ok(true));
}

#[test]
fn dates_beyond_the_data_are_refused_not_guessed() {
    let beyond = BeyondData {
        date: d("2101-01-03"),
        first: Some(2020),
        last: Some(2026),
    };
    assert_eq!(cal().is_working_day(d("2101-01-03")), Err(beyond));
    assert_eq!(
        cal().is_working_day(d("2019-12-31")).unwrap_err().date,
        d("2019-12-31")
    );
    assert_eq!(
        beyond.to_string(),
        "2101-01-03 is beyond the working-day calendar (it covers 2020–2026)"
    );
    assert!(Workdays::default().is_working_day(d("2024-01-05")).is_err());
}

#[test]
fn a_year_without_its_notice_is_reckoned_from_the_statutory_holidays() {
    // 2027 has no notice file: 元旦 (Friday 1 January) is off, the Monday after is worked.
    assert_eq!(cal().is_working_day(d("2027-01-01")), Ok(false));
    assert_eq!(cal().is_working_day(d("2027-01-04")), Ok(true));
    assert_eq!(cal().holiday(d("2027-01-01")).unwrap().zh, "元旦");
    // Across the boundary: 31 December 2026 (Thursday), then Monday 4 January 2027.
    assert_eq!(cal().add(d("2026-12-31"), 1), Ok(d("2027-01-04")));
    assert_eq!(
        cal().provisional_year(d("2026-12-31"), d("2027-01-04")),
        Some(2027)
    );
    assert_eq!(
        cal().provisional_year(d("2026-09-30"), d("2026-10-13")),
        None
    );
    // 春节 2027: 除夕 Friday 5 February to 初三 Monday 8, weekend days made up on 9 and 10.
    assert_eq!(cal().on_or_before(d("2027-02-10")), Ok(d("2027-02-04")));
    assert_eq!(cal().add(d("2027-02-04"), 1), Ok(d("2027-02-11")));
    // Saturday 20 February 2027 is not worked: no 调休 is assumed.
    assert_eq!(cal().is_working_day(d("2027-02-20")), Ok(false));
}

#[test]
fn the_years_notice_file_replaces_the_provisional_reckoning() {
    let notice = year(
        "year = 2027\n[[notice]]\nnumber = \"国办发明电〔2026〕1号\"\ntitle = \"t\"\n\
         date = 2026-11-01\n[[holiday]]\nname = { zh = \"春节\", en = \"Spring Festival\" }\n\
         from = 2027-02-05\nto = 2027-02-13\nworkdays = [2027-02-20]\n",
    );
    let years = [notice];
    let with_notice = Workdays::new(&years);
    assert_eq!(
        with_notice.provisional_year(d("2027-02-01"), d("2027-03-01")),
        None
    );
    assert_eq!(with_notice.is_working_day(d("2027-02-11")), Ok(false));
    assert_eq!(
        with_notice.is_working_day(d("2027-02-20")),
        Ok(true),
        "调休"
    );
    // 元旦 is not in this (made-up) file, so 1 January is an ordinary Friday.
    assert_eq!(with_notice.is_working_day(d("2027-01-01")), Ok(true));
}

fn year(text: &str) -> CalendarYear {
    toml::from_str(text).unwrap()
}

const NOTICE: &str =
    "[[notice]]\nnumber = \"国办发明电〔2025〕7号\"\ntitle = \"t\"\ndate = 2025-11-04\n";

#[test]
fn checks_dates_inside_the_year_and_no_day_both_ways() {
    let y = year(&format!(
        "year = 2026\n{NOTICE}\n[[holiday]]\nname = {{ zh = \"国庆节\", en = \"National Day\" }}\n\
         from = 2026-10-01\nto = 2027-01-02\nworkdays = [2026-10-03, 2026-10-09]\n"
    ));
    let problems = check_year(&y, "2026");
    let fields: Vec<_> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(
        fields,
        ["holiday[0].to", "holiday[0].workdays[1]"],
        "{problems:?}"
    );
    assert!(problems[0].message.contains("outside 2026"));
    // 9 October 2026 is a Friday: worked anyway.
    assert!(problems[1].message.contains("Fri"), "{problems:?}");

    let y = year(&format!(
        "year = 2026\n{NOTICE}\n[[holiday]]\nname = {{ zh = \"国庆节\", en = \"National Day\" }}\n\
         from = 2026-10-01\nto = 2026-10-07\nworkdays = [2026-10-03]\n"
    ));
    let problems = check_year(&y, "2025");
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(problems[0].field, "year");
    assert!(problems[1]
        .message
        .contains("both a worked day and a day off (国庆节)"));
}

#[test]
fn a_holiday_on_a_weekend_and_a_year_without_notice() {
    // 清明节 2026-04-04 is a Saturday: fine as a day off.
    let y = year(
        "year = 2026\nnotice = []\n[[holiday]]\nname = { zh = \"清明节\", en = \"Qingming\" }\n\
         from = 2026-04-04\nto = 2026-04-06\n",
    );
    let problems = check_year(&y, "2026");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].field, "notice");
}
