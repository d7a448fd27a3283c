//! Turns oversized and odd inputs into checks that each either works or fails with a clear
//! message, in bounded time and without a panic: a 10 MB company file, 10,000 materials,
//! dates at the ends of the calendar, a 2,000-character note and a 300-character word in a
//! table cell and a paragraph, a 200-page document, and any string as paragraph text.
//! Company files are checked against the built-in catalog, as `generate` does.
//!
//! Bounds are on the CPU time of the thread that does the work, never on wall time: two
//! cores shared with other builds stretch wall time without bound, while a quadratic step on
//! these sizes still costs minutes of CPU. Speed claims belong to the benchmark.

use std::path::Path;
use std::time::Duration;

use chrono::NaiveDate;
use licpack::catalog::{builtin, Catalog};
use licpack::company::{self, Company};
use licpack::diag::Diagnostics;
use licpack::document::{
    Align, Block, Cell, Column, Document, DocumentKind, FooterLang, Inline, Packet, PacketMeta,
    Paragraph, Span, Table,
};
use licpack::fonts::FontBook;
use licpack::layout::{self, GlyphRun, Item, LaidOutPacket, LayoutError, LineBreaker, Page};
use licpack::plan::{self, Deadline, DeadlineStatus, PacketPlan, PlanError, Selection};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------
// CPU time
// ---------------------------------------------------------------------------------------

/// A result and the CPU time its thread spent computing it.
struct CpuTimed<T> {
    value: T,
    cpu: Duration,
}

impl<T> CpuTimed<T> {
    /// Runs `work` on this thread (it must not hand work to other threads).
    fn on_this_thread(work: impl FnOnce() -> T) -> CpuTimed<T> {
        let start = thread_cpu_time();
        let value = work();
        CpuTimed {
            value,
            cpu: thread_cpu_time().saturating_sub(start),
        }
    }

    /// Runs `work` in a rayon pool of one thread, so that everything it hands to rayon
    /// (the layout sets documents in parallel) is counted on that thread.
    fn in_one_thread_pool(work: impl FnOnce() -> T + Send) -> CpuTimed<T>
    where
        T: Send,
    {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap_or_else(|e| panic!("no thread pool: {e}"));
        pool.install(|| CpuTimed::on_this_thread(work))
    }
}

/// CPU time the calling thread has used (`CLOCK_THREAD_CPUTIME_ID`).
#[cfg(unix)]
fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec; the clock id is a constant of this platform.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "clock_gettime failed");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// Elsewhere the tests fall back on wall time since an arbitrary start.
#[cfg(not(unix))]
fn thread_cpu_time() -> Duration {
    use std::sync::OnceLock;
    static START: OnceLock<std::time::Instant> = OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed()
}

#[test]
fn cpu_time_counts_work_and_not_waiting() {
    let waited = CpuTimed::on_this_thread(|| std::thread::sleep(Duration::from_millis(300)));
    assert!(waited.cpu < Duration::from_millis(100), "{:?}", waited.cpu);
    let busy = CpuTimed::on_this_thread(|| {
        let start = thread_cpu_time();
        let mut x = 0u64;
        while thread_cpu_time() - start < Duration::from_millis(50) {
            x = std::hint::black_box(x.wrapping_add(1));
        }
        x
    });
    assert!(busy.cpu >= Duration::from_millis(50), "{:?}", busy.cpu);
}

// ---------------------------------------------------------------------------------------
// Company files
// ---------------------------------------------------------------------------------------

/// A valid file; cases append to it or replace parts of it.
const BASE: &str = r#"[company]
name = "北京云声科技有限公司"
uscc = "91110108MA01C2XM4Y"
legal_rep = "张伟"
address = "北京市海淀区中关村大街1号8层801室"
province = "beijing"
registered_capital = 10000000

[[license]]
number = "B2-20220318"
scope = "nationwide"
services = ["call-center"]
issued = 2022-04-30
expires = 2027-04-30

[[procedure]]
type = "renewal"
license = "B2-20220318"
"#;

/// CPU time, generous for a debug build; a quadratic step on these sizes takes minutes.
const PARSE_LIMIT: Duration = Duration::from_secs(15);

/// Parses `text` and fails the test if the parse took more than [`PARSE_LIMIT`] of CPU time.
fn timed_parse(what: &str, text: &str) -> Result<Company, Diagnostics> {
    let catalog = builtin();
    let CpuTimed { value, cpu } =
        CpuTimed::on_this_thread(|| company::parse(text, Path::new("limits.toml"), catalog));
    assert!(
        cpu < PARSE_LIMIT,
        "{what}: {cpu:?} of CPU time for {} bytes",
        text.len()
    );
    value
}

fn replaced(old: &str, new: &str) -> String {
    assert!(BASE.contains(old), "{old:?} not in the base file");
    BASE.replace(old, new)
}

const TEN_MB: usize = 10 * 1024 * 1024;

#[test]
fn base_file_is_valid() {
    let company = timed_parse("base", BASE).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(company.info.name, "北京云声科技有限公司");
}

#[test]
fn ten_megabyte_comment_parses() {
    let comment = format!("# {}\n", "注释 comment ".repeat(TEN_MB / 14 + 1));
    let text = format!("{comment}{BASE}");
    assert!(text.len() >= TEN_MB);
    let company = timed_parse("comment", &text).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(company.licenses[0].number, "B2-20220318");
}

#[test]
fn ten_megabyte_address_is_accepted_as_it_is() {
    let address = "中关村大街1号".repeat(TEN_MB / 19);
    let text = replaced(
        "address = \"北京市海淀区中关村大街1号8层801室\"",
        &format!("address = \"{address}\""),
    );
    let company = timed_parse("address", &text).unwrap_or_else(|d| panic!("{d}"));
    // No length limit on text fields: the layout wraps it (see the long-note cases below).
    assert_eq!(company.info.address.len(), address.len());
}

#[test]
fn ten_megabyte_unterminated_string_is_located() {
    let text = format!(
        "{BASE}[materials]\nfinancial-statements = \"{}",
        "x".repeat(TEN_MB)
    );
    let diags = timed_parse("unterminated", &text).unwrap_err().0;
    assert_eq!(diags.len(), 1, "{}", Diagnostics(diags.clone()));
    assert!(diags[0].message.contains("syntax"), "{}", diags[0]);
    assert_eq!(diags[0].line, BASE.lines().count() + 2, "{}", diags[0]);
}

/// `[materials]` with `count` ids the catalog does not know, one per line.
fn unknown_materials(count: usize) -> String {
    let mut text = format!("{BASE}\n[materials]\n");
    for i in 0..count {
        text.push_str(&format!("material-{i:05} = \"ready\"\n"));
    }
    text
}

#[test]
fn ten_thousand_unknown_materials_are_all_reported_and_located() {
    let text = unknown_materials(10_000);
    let diags = timed_parse("materials", &text).unwrap_err().0;
    assert_eq!(diags.len(), 10_000);
    let first_line = BASE.lines().count() + 3;
    for (i, d) in diags.iter().enumerate() {
        let field = format!("materials.material-{i:05}");
        assert_eq!(d.field.as_deref(), Some(field.as_str()), "{d}");
        assert_eq!(d.line, first_line + i, "{d}");
        assert!(d.message.starts_with("unknown material"), "{d}");
    }
    // A terminal shows the first fifty and says how many more there are.
    let shown = licpack::diag::Diagnostics(diags).to_string();
    assert_eq!(shown.matches("unknown material").count(), 50);
    let tail: String = shown
        .chars()
        .rev()
        .take(200)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    assert!(
        shown.ends_with("… and 9950 more problems in the same file; fix these first (for a company file, `licpack check --json FILE` lists them all)"),
        "{tail}"
    );
}

#[test]
fn many_diagnostics_after_a_huge_comment_stay_fast() {
    // Each diagnostic locates itself by scanning the text from the start: n diagnostics
    // after m bytes cost n · m. 2,000 × 10 MB is the shape a generated file could take.
    let comment = format!("# {}\n", "x".repeat(TEN_MB));
    let text = format!("{comment}{}", unknown_materials(2_000));
    let diags = timed_parse("comment + materials", &text).unwrap_err().0;
    assert_eq!(diags.len(), 2_000);
    assert_eq!(diags[0].line, 1 + BASE.lines().count() + 3);
}

#[test]
fn long_material_note_parses() {
    let mut text = format!("{BASE}\n[materials]\n");
    text.push_str("business-license-copy = \"ready\"\n");
    let note = "审计报告预计12月5日出具 ".repeat(400);
    let note = note.trim_end();
    text.push_str(&format!(
        "financial-statements = {{ status = \"missing\", note = \"{note}\" }}\n"
    ));
    let company = timed_parse("notes", &text).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(company.materials.len(), 2);
}

/// Plans every procedure of `company` as of 2026-11-25.
fn plan_at_2026(company: &Company) -> Result<Vec<PacketPlan<'_>>, PlanError> {
    // The catalog is leaked so the plans may borrow it for the rest of the test.
    let catalog: &'static Catalog = builtin();
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default();
    plan::plan(company, catalog, today, &Selection::default())
}

#[test]
fn no_procedures_validate_and_the_plan_says_nothing_is_selected() {
    // A file with licences but no `[[procedure]]` is valid (`check`, `deadlines` use it);
    // `generate` fails at the plan with a clear message instead of writing nothing.
    let head = BASE.split("[[procedure]]").next().unwrap_or_default();
    let with_empty_array = head.replace("[company]", "procedure = []\n\n[company]");
    for (case, text) in [
        ("no [[procedure]]", head),
        ("procedure = []", &with_empty_array),
    ] {
        let company = timed_parse(case, text).unwrap_or_else(|d| panic!("{case}: {d}"));
        assert!(company.procedures.is_empty(), "{case}");
        let err = plan_at_2026(&company).unwrap_err();
        assert_eq!(err, PlanError::NoProcedures, "{case}");
        assert!(
            err.to_string().contains("add one, e.g. [[procedure]]"),
            "{err}"
        );
    }
}

fn deadline<'p>(plan: &'p PacketPlan, id: &str) -> &'p Deadline {
    plan.deadlines
        .iter()
        .find(|d| d.id == id)
        .unwrap_or_else(|| panic!("no deadline {id} in {:?}", plan.deadlines))
}

#[test]
fn licence_that_expired_years_ago_parses_and_the_plan_warns() {
    // Expiry is judged against the run date by `plan`, not by the loader.
    let text = replaced("issued = 2022-04-30", "issued = 2007-04-30")
        .replace("expires = 2027-04-30", "expires = 2012-04-30");
    let company = timed_parse("expired", &text).unwrap_or_else(|d| panic!("{d}"));
    let plans = plan_at_2026(&company).unwrap_or_else(|e| panic!("{e}"));
    let expiry = deadline(&plans[0], "licence-expiry");
    assert_eq!(expiry.status, DeadlineStatus::Expired);
    assert_eq!(expiry.days_left, -5322);
    assert!(
        !plans[0].warnings.is_empty(),
        "no warning for an expired licence"
    );
    assert!(
        plans[0]
            .warnings
            .iter()
            .any(|w| w.zh.contains("已于2012-04-30届满")
                && w.en.contains("can no longer be renewed")),
        "{:?}",
        plans[0].warnings
    );
}

#[test]
fn dates_in_1900_and_2100_parse_and_plan() {
    let text = replaced("issued = 2022-04-30", "issued = 1900-01-01")
        .replace("expires = 2027-04-30", "expires = 2100-12-31");
    let company = timed_parse("1900–2100", &text).unwrap_or_else(|d| panic!("{d}"));
    let licence = &company.licenses[0];
    assert_eq!(licence.issued, NaiveDate::from_ymd_opt(1900, 1, 1).unwrap());
    assert_eq!(
        licence.expires,
        NaiveDate::from_ymd_opt(2100, 12, 31).unwrap()
    );
    let plans = plan_at_2026(&company).unwrap_or_else(|e| panic!("{e}"));
    let submit = deadline(&plans[0], "renewal-submit");
    // Renewal is filed 90 days before expiry (catalog rule; domain.md, rule 27).
    assert_eq!(submit.date, NaiveDate::from_ymd_opt(2100, 10, 2).unwrap());
    assert_eq!(submit.status, DeadlineStatus::Upcoming);
}

#[test]
fn extreme_toml_dates_are_diagnostics_or_plan_without_overflow() {
    // TOML years are 0000–9999; chrono covers far more, so date arithmetic cannot overflow.
    let text = replaced("issued = 2022-04-30", "issued = 0000-01-01")
        .replace("expires = 2027-04-30", "expires = 9999-12-31");
    let outcome = timed_parse("0000–9999", &text);
    describe_outcome("0000–9999", &outcome);
    if let Ok(company) = outcome {
        let plans = plan_at_2026(&company).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            deadline(&plans[0], "licence-expiry").date,
            NaiveDate::from_ymd_opt(9999, 12, 31).unwrap()
        );
    }
}

#[test]
fn date_out_of_range_and_datetimes_are_diagnostics() {
    for (written, message) in [
        (
            "9999-12-31T23:59:59Z",
            "not a date (found a date with a time)",
        ),
        (
            "2026-12-01 08:00:00",
            "not a date (found a date with a time)",
        ),
        ("12:00:00", "not a date (found a time of day)"),
        (
            "2100-02-29",
            "TOML syntax error: invalid date-time; value is out of range",
        ),
        (
            "2026-13-01",
            "TOML syntax error: invalid date-time; value is out of range",
        ),
    ] {
        let text = replaced("expires = 2027-04-30", &format!("expires = {written}"));
        let outcome = timed_parse(written, &text);
        describe_outcome(written, &outcome);
        let diags = outcome.unwrap_err().0;
        assert_eq!(diags.len(), 1, "{written}");
        assert_eq!(diags[0].message, message, "{written}");
        assert_eq!(diags[0].line, 14, "{written}");
    }
}

/// Prints what a case produced, so `cargo test -- --nocapture` shows the messages a clerk
/// would see.
fn describe_outcome(case: &str, outcome: &Result<Company, Diagnostics>) {
    match outcome {
        Ok(_) => println!("{case}: ok"),
        Err(d) => println!("{case}:\n{d}"),
    }
}

// ---------------------------------------------------------------------------------------
// Layout
// ---------------------------------------------------------------------------------------

fn packet(documents: Vec<Document>) -> Packet {
    Packet {
        meta: PacketMeta {
            title: "limits".into(),
            author: "北京云声科技有限公司".into(),
            subject: String::new(),
            keywords: Vec::new(),
            lang: "zh-CN".into(),
            date: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default(),
            header: "北京云声科技有限公司".into(),
            footer_lang: FooterLang::Bilingual,
            brand: None,
        },
        documents,
    }
}

fn text(s: &str) -> Inline {
    Inline::Text(Span::plain(s))
}

fn paragraph(s: &str) -> Block {
    Block::Paragraph(Paragraph {
        inlines: vec![text(s)],
        ..Paragraph::default()
    })
}

/// A three-column checklist table with `note` in the middle column of its only row.
fn table_with_note(note: &str) -> Block {
    let cell = |s: &str| Cell {
        inlines: vec![text(s)],
    };
    Block::Table(Table {
        columns: [Align::Center, Align::Left, Align::Left]
            .map(|align| Column { align })
            .to_vec(),
        header: vec![cell("序号"), cell("说明"), cell("状态")],
        rows: vec![vec![cell("甲"), cell(note), cell("缺")]],
    })
}

fn document(kind: DocumentKind, blocks: Vec<Block>) -> Document {
    Document {
        title: "limits".into(),
        kind,
        blocks,
    }
}

fn body_runs(page: &Page) -> impl Iterator<Item = &GlyphRun> {
    page.body.iter().filter_map(|i| match i {
        Item::Text(r) => Some(r),
        _ => None,
    })
}

/// Every body glyph run lies inside its page's type area (0.01 pt tolerance).
fn assert_runs_inside(laid: &LaidOutPacket, case: &str) {
    for (n, page) in laid.pages.iter().enumerate() {
        let area = page.type_area;
        for run in body_runs(page) {
            let b = run.bounds();
            let inside = b.x.0 >= area.x.0 - 0.01
                && b.y.0 >= area.y.0 - 0.01
                && b.right().0 <= area.right().0 + 0.01
                && b.bottom().0 <= area.bottom().0 + 0.01;
            assert!(inside, "{case}, page {n}: {b:?} outside {area:?}: {run:?}");
        }
    }
}

fn all_body_text(laid: &LaidOutPacket) -> String {
    laid.pages
        .iter()
        .flat_map(body_runs)
        .map(|r| r.text.as_str())
        .collect()
}

fn without_whitespace(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A 2,000-character note: Chinese clauses with Latin words, numbers and an e-mail.
fn long_note() -> String {
    let clause = "须在有效期内并加盖公章，copy stamped by the company 2026年12月5日前提交；";
    let mut note: String = clause.chars().cycle().take(1_990).collect();
    note.push_str("a@b.example");
    note
}

/// Lays out one block alone; every body run must lie in the type area.
fn laid_out_alone(kind: DocumentKind, block: Block, case: &str) -> LaidOutPacket {
    let laid = layout::layout(
        &packet(vec![document(kind, vec![block])]),
        FontBook::builtin(),
    )
    .unwrap_or_else(|e| panic!("{case}: {e}"));
    assert_runs_inside(&laid, case);
    laid
}

/// Header and side-cell texts of [`table_with_note`], which the note never produces alone.
const TABLE_FRAME_TEXTS: [&str; 5] = ["序号", "说明", "状态", "甲", "缺"];

#[test]
fn long_note_and_long_words_stay_in_the_type_area() {
    let note = long_note();
    let word = "X".repeat(300);
    let digits = "1".repeat(300);
    let cjk = "国".repeat(300);
    for kind in [DocumentKind::Checklist, DocumentKind::Letter] {
        for content in [&note, &word, &digits, &cjk] {
            let case = format!("{kind:?} {}…", content.chars().take(6).collect::<String>());
            let laid = laid_out_alone(kind, paragraph(content), &case);
            let para_text = all_body_text(&laid);
            assert_eq!(
                without_whitespace(&para_text),
                without_whitespace(content),
                "{case}"
            );

            let laid = laid_out_alone(kind, table_with_note(content), &case);
            let cell_text: String = laid
                .pages
                .iter()
                .flat_map(body_runs)
                .filter(|r| !TABLE_FRAME_TEXTS.contains(&r.text.as_str()))
                .map(|r| r.text.as_str())
                .collect();
            assert_eq!(
                without_whitespace(&cell_text),
                without_whitespace(content),
                "{case}"
            );
        }
    }
}

/// A checklist of 10,000 materials (an agency catalog grown without bound): the table
/// paginates, every page after the first starts with the repeated header, every row is
/// there once and in order, and nothing leaves the type area.
#[test]
fn ten_thousand_material_rows_paginate_with_their_header() {
    let cell = |s: String| Cell {
        inlines: vec![text(&s)],
    };
    let rows: Vec<Vec<Cell>> = (1..=10_000)
        .map(|i| {
            vec![
                cell(i.to_string()),
                cell(format!("材料第{i}项 Material {i}")),
                cell("缺".into()),
            ]
        })
        .collect();
    let table = Block::Table(Table {
        columns: [Align::Center, Align::Left, Align::Left]
            .map(|align| Column { align })
            .to_vec(),
        header: ["序号", "材料名称", "状态"]
            .map(|s| cell(s.into()))
            .to_vec(),
        rows,
    });
    let CpuTimed { value: laid, cpu } = CpuTimed::in_one_thread_pool(|| {
        laid_out_alone(DocumentKind::Checklist, table, "10,000 rows")
    });
    let pages = laid.pages.len();
    assert!(pages > 200, "{pages} pages");
    let limit = if cfg!(debug_assertions) { 60.0 } else { 6.0 };
    assert!(
        cpu.as_secs_f64() < limit,
        "{cpu:?} of CPU time for {pages} pages"
    );
    println!("10,000 rows: {pages} pages in {cpu:?} of CPU time");
    for (n, page) in laid.pages.iter().enumerate() {
        let first = body_runs(page).next().map(|r| r.text.as_str());
        assert_eq!(
            first,
            Some("序号"),
            "page {n} does not start with the header"
        );
    }
    // The first column's numbers: runs left of the name column's header.
    let numbers: Vec<usize> = laid
        .pages
        .iter()
        .flat_map(|page| {
            let name_column = body_runs(page)
                .find(|r| r.text == "材料名称")
                .map_or(0.0, |r| r.bounds().x.0);
            body_runs(page).filter(move |r| r.bounds().x.0 < name_column)
        })
        .filter_map(|r| r.text.parse().ok())
        .collect();
    let expected: Vec<usize> = (1..=10_000).collect();
    let first_wrong = numbers.iter().zip(&expected).position(|(a, b)| a != b);
    assert!(
        numbers.len() == expected.len() && first_wrong.is_none(),
        "{} row numbers, first out of order at {first_wrong:?}",
        numbers.len()
    );
}

/// Paragraphs of about five lines each: 760 of them fill roughly 200 letter pages.
fn many_paragraphs(count: usize) -> Document {
    let clause =
        "本公司郑重承诺：所提交的申请材料真实、准确、完整，注册资本10,000,000元已全部实缴；\
        如有虚假，愿承担由此产生的一切法律责任。Contact legal@yunsheng.example for details. ";
    let blocks = (0..count).map(|_| paragraph(&clause.repeat(2))).collect();
    document(DocumentKind::Letter, blocks)
}

#[test]
fn two_hundred_pages_lay_out_in_bounded_time() {
    let doc = many_paragraphs(760);
    let CpuTimed { value: laid, cpu } = CpuTimed::in_one_thread_pool(|| {
        layout::layout(&packet(vec![doc]), FontBook::builtin()).unwrap()
    });
    let pages = laid.pages.len();
    // 200 pages at the letter's 三号; since that is more than one page it is laid out again
    // at the one-page fit's minimum (小四), where it takes about 135.
    assert!(pages >= 130, "{pages} pages");
    // Measured: ~0.1 s of CPU in release for both layouts, a few seconds debug; ample
    // headroom for a slower machine.
    let limit = if cfg!(debug_assertions) { 60.0 } else { 6.0 };
    assert!(
        cpu.as_secs_f64() < limit,
        "{cpu:?} of CPU time for {pages} pages"
    );
    println!("{pages} pages in {cpu:?} of CPU time");
}

// ---------------------------------------------------------------------------------------
// Any text as a paragraph
// ---------------------------------------------------------------------------------------

/// Characters weighted towards what templates produce, with any `char` mixed in so that
/// uncovered characters, controls and odd whitespace also occur.
fn paragraph_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::sample::select("北京云声科技有限公司承诺书申请材料真实准确完整".chars().collect::<Vec<_>>()),
        3 => prop::char::range(' ', '~'),
        2 => prop::sample::select("，。、；：？！“”‘’（）《》【】——……·".chars().collect::<Vec<_>>()),
        2 => prop::sample::select(vec![' ', ' ', '\n', '\t', '\u{3000}', '\u{a0}', '\r']),
        1 => prop::char::range('\u{4e00}', '\u{9fff}'),
        1 => any::<char>(),
    ]
}

fn paragraph_text() -> impl Strategy<Value = String> {
    prop::collection::vec(paragraph_char(), 0..400).prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Normalisation: whitespace (`char::is_whitespace`) is removed from both sides, because
    /// the layout drops it at line ends, turns `\n` into a forced break and draws no run for
    /// it there; every other character must come back once, in order.
    #[test]
    fn any_span_text_lays_out_or_names_an_uncovered_char(
        s in paragraph_text(),
        letter in any::<bool>(),
        secondary in any::<bool>(),
    ) {
        let kind = if letter { DocumentKind::Letter } else { DocumentKind::Checklist };
        let span = Span { text: s.clone(), bold: false, secondary };
        let block = Block::Paragraph(Paragraph { inlines: vec![Inline::Text(span)], ..Paragraph::default() });
        let fonts = FontBook::builtin();
        match layout::layout(&packet(vec![document(kind, vec![block])]), fonts) {
            Ok(laid) => {
                prop_assert_eq!(without_whitespace(&all_body_text(&laid)), without_whitespace(&s));
                assert_runs_inside(&laid, &format!("{s:?}"));
            }
            Err(LayoutError::UncoveredChar { ch, context }) => {
                prop_assert!(s.contains(ch) && !fonts.covers(ch) && !ch.is_whitespace(), "{:?}", ch);
                prop_assert!(context.contains(ch));
                let first = s.chars().find(|c| !c.is_whitespace() && !fonts.covers(*c));
                prop_assert_eq!(first, Some(ch));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Huge wrong values
// ---------------------------------------------------------------------------------------

/// A diagnostic must stay readable: it may quote the user's value, but not megabytes of it.
const DIAGNOSTIC_LIMIT: usize = 1_000;

/// Files where one field holds a megabyte of something wrong.
fn huge_wrong_values() -> Vec<(&'static str, String)> {
    let huge = "壹".repeat(350_000);
    let ascii = "x".repeat(1_000_000);
    vec![
        ("province", replaced("\"beijing\"", &format!("\"{huge}\""))),
        (
            "uscc",
            replaced("\"91110108MA01C2XM4Y\"", &format!("\"{ascii}\"")),
        ),
        (
            "key",
            replaced("legal_rep = ", &format!("{ascii} = 1\nlegal_rep = ")),
        ),
        (
            "procedure type",
            replaced("\"renewal\"", &format!("\"{ascii}\"")),
        ),
        ("licence number", BASE.replace("B2-20220318", &ascii)),
        (
            "services",
            replaced("\"call-center\"", &format!("\"{ascii}\"")),
        ),
        (
            "material",
            format!("{BASE}[materials]\n{ascii} = \"ready\"\n"),
        ),
        (
            "status",
            format!("{BASE}[materials]\nbusiness-license-copy = \"{ascii}\"\n"),
        ),
        ("spaces", replaced("\"张伟\"", &format!("\" {huge} \""))),
    ]
}

#[test]
fn huge_wrong_values_are_reported_quickly() {
    for (case, text) in huge_wrong_values() {
        let diags = timed_parse(case, &text).unwrap_err().0;
        assert!(
            !diags.is_empty() && diags.iter().all(|d| d.line > 0),
            "{case}"
        );
    }
}

#[test]
fn huge_wrong_values_give_short_diagnostics() {
    let mut long = Vec::new();
    for (case, text) in huge_wrong_values() {
        for d in timed_parse(case, &text).unwrap_err().0 {
            let size = d.to_string().len();
            if size > DIAGNOSTIC_LIMIT {
                let start: String = d.message.chars().take(40).collect();
                long.push(format!("{case}: {size} bytes: {start}…"));
            }
        }
    }
    assert!(long.is_empty(), "{}", long.join("\n"));
}

// ---------------------------------------------------------------------------------------
// Line breaker regressions found by `fuzz/` (line_breaker target)
// ---------------------------------------------------------------------------------------

#[test]
fn last_character_wider_than_the_line_still_ends_the_paragraph() {
    // Found by fuzzing: "]" with a zero-width measure was broken off by the emergency break
    // and its line reported `hard_end: false`, so the paragraph's last line was justified.
    for text in ["]", "ab", "国国"] {
        let breaker = LineBreaker::new(text, |_, _| 1.0);
        let lines = breaker.lines(0.0, 0.0);
        assert_eq!(lines.len(), text.chars().count(), "{text}");
        let last = lines.last().unwrap_or_else(|| panic!("no line for {text}"));
        assert!(last.hard_end, "{text}: {lines:?}");
        assert!(
            lines[..lines.len() - 1].iter().all(|l| !l.hard_end),
            "{text}"
        );
    }
}

#[test]
fn a_thousand_licences_parse_in_bounded_time() {
    let head = BASE.split("[[license]]").next().unwrap_or_default();
    let mut text = head.to_owned();
    for i in 0..1_000 {
        text.push_str(&format!(
            "[[license]]\nnumber = \"B2-2022{i:04}\"\nscope = \"nationwide\"\nservices = [\"call-center\"]\nissued = 2022-04-30\nexpires = 2027-04-30\n\n"
        ));
    }
    text.push_str("[[procedure]]\ntype = \"renewal\"\nlicense = \"B2-20220999\"\n");
    let company = timed_parse("1,000 licences", &text).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(company.licenses.len(), 1_000);
    assert_eq!(company.procedures[0].license, "B2-20220999");
}
