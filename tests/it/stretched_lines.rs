//! End-to-end: no CJK line of any packet is letter-spaced, and a code broken across lines
//! still reads whole.
//!
//! The stretch measure is `shared/tools/stretch.py` in Rust: from `pdftotext -bbox-layout`,
//! each line of eight or more characters, nine tenths of them CJK, has a per-character
//! advance (its width over its characters); a line whose advance exceeds 1.15 × the median
//! of the lines of the same height is stretched. Every sample and shared case is generated
//! in `--lang bilingual` and `--lang zh`, as the issue that introduced the measure counted
//! them. Needs `pdftotext` (poppler-utils).

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use common::letters::sample_files;
use common::*;
use licpack::layout::Item;
use licpack::packet::Engine;
use licpack::plan::{plan, Selection};
use licpack::templates::Lang;

/// A line is stretched past this multiple of the median advance of its height.
const RATIO: f64 = 1.15;

/// One measured line: page, height (tenths of a point), advance per character, text.
struct CjkLine {
    page: usize,
    height: i64,
    advance: f64,
    text: String,
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}' | '\u{3000}'..='\u{303f}')
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The `pdftotext -bbox-layout` XHTML of `pdf`.
fn bbox_layout(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-bbox-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext runs (poppler-utils)");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The CJK lines of a page layout, as `stretch.py` selects them.
fn cjk_lines(xml: &str) -> Vec<CjkLine> {
    let page_re =
        regex::Regex::new(r#"(?s)<page width="[\d.]+" height="[\d.]+">(.*?)</page>"#).unwrap();
    let line_re = regex::Regex::new(
        r#"(?s)<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>"#,
    )
    .unwrap();
    let word_re = regex::Regex::new(r"(?s)<word[^>]*>(.*?)</word>").unwrap();
    let mut lines = Vec::new();
    for (page, pm) in page_re.captures_iter(xml).enumerate() {
        for lm in line_re.captures_iter(&pm[1]) {
            let num = |i: usize| lm[i].parse::<f64>().unwrap();
            let (x0, y0, x1, y1) = (num(1), num(2), num(3), num(4));
            let text: String = word_re
                .captures_iter(&lm[5])
                .map(|w| unescape(&w[1]))
                .collect();
            let count = text.chars().count();
            let cjk = text.chars().filter(|&c| is_cjk(c)).count();
            if count < 8 || (cjk as f64) < 0.9 * count as f64 {
                continue;
            }
            lines.push(CjkLine {
                page: page + 1,
                height: ((y1 - y0) * 10.0).round() as i64,
                advance: (x1 - x0) / count as f64,
                text,
            });
        }
    }
    lines
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// The stretched lines of a page layout, each as "p3 1.21x: text", and how many CJK lines
/// it has.
fn stretched_in(xml: &str) -> (Vec<String>, usize) {
    let lines = cjk_lines(xml);
    let mut by_height: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
    for l in &lines {
        by_height.entry(l.height).or_default().push(l.advance);
    }
    let medians: BTreeMap<i64, f64> = by_height
        .into_iter()
        .map(|(h, advances)| (h, median(advances)))
        .collect();
    let bad = lines
        .iter()
        .filter(|l| l.advance > RATIO * medians[&l.height])
        .map(|l| {
            let start: String = l.text.chars().take(32).collect();
            format!(
                "p{} {:.2}x: {start}",
                l.page,
                l.advance / medians[&l.height]
            )
        })
        .collect();
    (bad, lines.len())
}

/// The measure as the issue defined it, from outside. Its closest calls are not letter-spaced
/// lines: `pdftotext` assembles a line from every word on one baseline that is near enough,
/// so a short cell line of the checklist and the first line of the next cell (1.3 em to its
/// right) are measured as one line, the gap between the columns counted as spacing. In
/// long-text-renewal (zh, p3) "部分省份要求；请" (eight characters set solid, 84 pt) and the
/// status "缺" measure 1.147×; the layout-level test below measures the spacing itself.
#[test]
fn no_cjk_line_is_stretched_in_any_sample_or_case() {
    let dir = tempfile::tempdir().unwrap();
    let (mut packets, mut measured, mut report) = (0, 0, Vec::new());
    for (n, file) in sample_files().iter().enumerate() {
        for lang in ["bilingual", "zh"] {
            let out = dir.path().join(format!("{n}-{lang}"));
            let o = generate(file, &out, &["--lang", lang]);
            assert!(o.status.success(), "{}: {}", file.display(), stderr(&o));
            for pdf in pdfs_in(&out) {
                let (bad, lines) = stretched_in(&bbox_layout(&pdf));
                packets += 1;
                measured += lines;
                let name = pdf.file_name().unwrap().to_string_lossy().into_owned();
                report.extend(bad.into_iter().map(|b| format!("{lang} {name} {b}")));
            }
            if let Some(tool) = shared_cases().map(|c| c.join("../tools/stretch.py")) {
                for pdf in pdfs_in(&out) {
                    let o = Command::new("python3").arg(&tool).arg(&pdf).output();
                    if let Ok(o) = o {
                        assert!(o.status.success(), "stretch.py: {}", stdout(&o));
                    }
                }
            }
        }
    }
    println!("{packets} packets, {measured} CJK lines measured");
    assert!(
        packets >= 16 && measured > 1000,
        "{packets} packets, {measured} lines"
    );
    assert!(
        report.is_empty(),
        "{} stretched lines:\n{}",
        report.len(),
        report.join("\n")
    );
}

/// The spacing the layout itself adds: every run with CJK characters in every packet (all
/// samples and shared cases, bilingual and zh) advances each character by its em plus the
/// run's `char_spacing`, so its pitch is `1 + char_spacing / size` of the solid one; no run
/// is set beyond 1.15×. Unlike the `pdftotext` measure, a table's columns cannot run into
/// each other here.
#[test]
fn no_cjk_run_is_letter_spaced_in_the_layout() {
    let engine = Engine::new(None).unwrap();
    let today = chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    let (mut runs, mut widest, mut report) = (0usize, (1.0f32, String::new()), Vec::new());
    for file in sample_files() {
        let company = engine.load_company(&file).unwrap();
        for p in plan(&company, &engine.catalog, today, &Selection::default()).unwrap() {
            for lang in [Lang::Bilingual, Lang::Zh] {
                let (_, laid) = engine.lay_out(&p, lang).unwrap();
                for (n, page) in laid.pages.iter().enumerate() {
                    for item in &page.body {
                        let Item::Text(run) = item else { continue };
                        if !run.text.chars().any(is_cjk) {
                            continue;
                        }
                        runs += 1;
                        let pitch = 1.0 + run.char_spacing.0 / run.size.0;
                        let what = format!(
                            "{} {lang:?} p{} {pitch:.3}x: {}",
                            p.file_stem,
                            n + 1,
                            run.text
                        );
                        if pitch > widest.0 {
                            widest = (pitch, what.clone());
                        }
                        if pitch > RATIO as f32 {
                            report.push(what);
                        }
                    }
                }
            }
        }
    }
    println!("{runs} CJK runs; the most spaced: {}", widest.1);
    assert!(runs > 1000, "{runs} runs");
    assert!(report.is_empty(), "{}", report.join("\n"));
}

#[test]
fn measure_finds_a_letter_spaced_line() {
    // Three CJK lines at one height: two set solid (10 pt per character), one spread to
    // 12.5 pt per character (1.25 × the median), and a Latin line the measure ignores.
    let line = |y: f64, width: f64, text: &str| {
        let words: String = text
            .split(' ')
            .map(|w| format!(r#"<word xMin="0" yMin="0" xMax="1" yMax="1">{w}</word>"#))
            .collect();
        format!(
            r#"<line xMin="72.000000" yMin="{y:.6}" xMax="{:.6}" yMax="{:.6}">{words}</line>"#,
            72.0 + width,
            y + 16.0
        )
    };
    let xml = format!(
        r#"<doc><page width="595.28" height="841.89"><flow><block>{}{}{}{}</block></flow></page></doc>"#,
        line(100.0, 110.0, "我公司郑重承诺如下各项"),
        line(130.0, 150.0, "统一社会信用代码持有许可"),
        line(160.0, 120.0, "严格遵守电信条例依法经营"),
        line(190.0, 300.0, "We solemnly commit as follows"),
    );
    let (bad, measured) = stretched_in(&xml);
    assert_eq!(measured, 3);
    assert_eq!(bad, ["p1 1.25x: 统一社会信用代码持有许可"]);
}

/// Every packet's letters hold the company's USCC; where a line break falls inside it, the
/// text `pdftotext` extracts still holds it whole, as often as the documents do.
#[test]
fn a_code_broken_across_lines_is_extracted_whole() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(None).unwrap();
    let today = chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    let mut split = 0;
    for file in sample_files() {
        let company = engine.load_company(&file).unwrap();
        let uscc = company.info.uscc.clone();
        for (i, p) in plan(&company, &engine.catalog, today, &Selection::default())
            .unwrap()
            .iter()
            .enumerate()
        {
            let (packet, laid) = engine.lay_out(p, Lang::Zh).unwrap();
            let in_documents: usize = packet
                .documents
                .iter()
                .map(|d| format!("{d:?}").matches(&uscc).count())
                .sum();
            let pieces = laid
                .pages
                .iter()
                .flat_map(|pg| &pg.body)
                .filter(|i| matches!(i, Item::Text(r) if r.actual_text.as_deref() == Some(uscc.as_str())))
                .count();
            split += pieces;
            let pdf = dir.path().join(format!("{}-{i}.pdf", p.file_stem));
            let bytes = licpack::pdf::write(&laid, &packet.meta, engine.fonts()).unwrap();
            std::fs::write(&pdf, bytes).unwrap();
            let out = Command::new("pdftotext")
                .arg(&pdf)
                .arg("-")
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&out.stdout);
            assert_eq!(
                text.matches(&uscc).count(),
                in_documents,
                "{}: {uscc} in the extracted text",
                pdf.display()
            );
        }
    }
    // Total-fit breaking now keeps every sample's USCC on one line (the layout unit tests
    // break one by construction); whether or not one is split, extraction must hold it whole.
    println!("{split} USCC pieces carried /ActualText");
}
