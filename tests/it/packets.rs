//! End-to-end: the binary turns the samples (and the shared call-centre cases) into packets
//! whose text, page structure and bytes are what a licensing agency needs.

use crate::common;

use std::path::Path;

use common::*;
use licpack::plan::{plan, Selection};
use licpack::templates::Lang;

const SAMPLES: &[&str] = &[
    "samples/callcenter-renewal.toml",
    "samples/callcenter-legal-rep-change.toml",
    "samples/callcenter-reapplication.toml",
    "samples/long-text-renewal.toml",
];

/// Generates `company` and checks the packet text holds everything the plan says it must.
fn assert_packets_complete(company: &Path) {
    let out = tempfile::tempdir().unwrap();
    let o = generate(company, out.path(), &[]);
    assert!(o.status.success(), "{}: {}", company.display(), stderr(&o));
    let engine = licpack::packet::Engine::new(None).unwrap();
    let c = engine.load_company(company).unwrap();
    let today = chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    let plans = plan(&c, &engine.catalog, today, &Selection::default()).unwrap();
    let pdfs = pdfs_in(out.path());
    assert_eq!(pdfs.len(), plans.len(), "one PDF per [[procedure]]");
    for p in &plans {
        let path = licpack::output::packet_path(out.path(), &c, &p.file_stem);
        let text = pdf_text_compact(&path);
        assert_holds_plan(&text, &c, p, &path);
        let must = |s: &str, what: &str| {
            assert!(
                text.contains(&compact(s)),
                "{}: {what} {s:?} missing from the PDF text",
                path.display()
            )
        };
        must(&p.authority.zh, "authority");
    }
}

#[test]
fn every_sample_becomes_a_complete_packet() {
    for s in SAMPLES {
        assert_packets_complete(&repo().join(s));
    }
}

#[test]
fn shared_call_center_cases_become_complete_packets() {
    let Some(cases) = shared_cases() else {
        eprintln!("shared/cases not present: skipped");
        return;
    };
    for f in [
        "callcenter-renewal.toml",
        "legal-rep-change.toml",
        "reapplication.toml",
        "multi-license.toml",
    ] {
        assert_packets_complete(&cases.join(f));
    }
}

#[test]
fn same_input_and_date_give_identical_bytes() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let sample = repo().join(SAMPLES[2]);
    assert!(generate(&sample, a.path(), &[]).status.success());
    assert!(generate(&sample, b.path(), &[]).status.success());
    let (pa, pb) = (pdfs_in(a.path()), pdfs_in(b.path()));
    assert_eq!(pa.len(), 1);
    assert_eq!(
        std::fs::read(&pa[0]).unwrap(),
        std::fs::read(&pb[0]).unwrap()
    );
}

#[test]
fn packets_have_checklist_and_letters_with_deadline_text() {
    let out = tempfile::tempdir().unwrap();
    assert!(generate(&repo().join(SAMPLES[0]), out.path(), &[])
        .status
        .success());
    let pdf = &pdfs_in(out.path())[0];
    assert!(
        pdf.ends_with("北京云声科技有限公司-91110108MA01C2XM4Y/B2-20220318-renewal.pdf"),
        "{}",
        pdf.display()
    );
    let text = pdf_text_compact(pdf);
    for s in [
        "2027年1月30日",
        "30Jan2027",
        "依法经营电信业务承诺书",
        "网络与信息安全承诺书",
        "申请材料真实性承诺书",
        "法定代表人（签字）",
        "第1页",
        "Page1of",
    ] {
        assert!(text.contains(s), "{s} missing");
    }
    let pages = pdf_pages_text(pdf).len();
    assert!(
        pages >= 4,
        "checklist plus three letters, got {pages} pages"
    );
}

#[test]
fn past_renewal_window_is_flagged() {
    let Some(cases) = shared_cases() else { return };
    let out = tempfile::tempdir().unwrap();
    let o = generate(
        &cases.join("multi-license.toml"),
        out.path(),
        &["--procedure", "renewal", "--license", "B2-20211234"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = pdf_text_compact(&pdfs_in(out.path())[0]);
    assert!(
        text.contains("已错过续期申请期限"),
        "missed window not stated"
    );
    assert!(text.contains("2026年9月21日"));
}

#[test]
fn laid_out_pages_respect_margins_and_the_no_start_rule() {
    const NO_START: &str = "。．，、；：？！）］｝〕〗〙〛》」』】〉”’…‥·～%";
    let engine = licpack::packet::Engine::new(None).unwrap();
    let today = chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    for s in SAMPLES {
        let c = engine.load_company(&repo().join(s)).unwrap();
        for p in plan(&c, &engine.catalog, today, &Selection::default()).unwrap() {
            let (_, laid) = engine.lay_out(&p, Lang::Bilingual).unwrap();
            for (i, page) in laid.pages.iter().enumerate() {
                let area = page.type_area;
                for item in &page.body {
                    if let licpack::layout::Item::Text(run) = item {
                        let b = run.bounds();
                        let inside = b.x.0 >= area.x.0 - 0.01
                            && b.right().0 <= area.right().0 + 0.01
                            && b.y.0 >= area.y.0 - 0.01
                            && b.bottom().0 <= area.bottom().0 + 0.01;
                        assert!(
                            inside,
                            "{s} page {}: {:?} outside the type area {:?}",
                            i + 1,
                            run.text,
                            area
                        );
                    }
                }
                let margin = licpack::units::Pt::mm(8.0).0;
                for run in page.runs() {
                    let b = run.bounds();
                    assert!(
                        b.x.0 >= margin && b.right().0 <= page.width.0 - margin,
                        "{s}: {:?} too close to the edge",
                        run.text
                    );
                }
                for first in line_starts(page) {
                    assert!(
                        !NO_START.contains(first),
                        "{s} page {}: a line starts with {first:?}",
                        i + 1
                    );
                }
            }
        }
    }
}

/// The first character of every visual line of the page body (runs grouped by baseline and
/// column: a run is a line start when no run on the same baseline ends just before it).
fn line_starts(page: &licpack::layout::Page) -> Vec<char> {
    let runs: Vec<_> = page
        .body
        .iter()
        .filter_map(|i| match i {
            licpack::layout::Item::Text(r) => Some(r),
            _ => None,
        })
        .collect();
    runs.iter()
        .filter(|r| {
            !runs.iter().any(|o| {
                (o.origin.y.0 - r.origin.y.0).abs() < 0.5
                    && o.origin.x.0 < r.origin.x.0
                    && (r.origin.x.0 - (o.origin.x.0 + o.width.0)).abs() < o.size.0 * 0.6
            })
        })
        .filter_map(|r| r.text.chars().next())
        .collect()
}

#[test]
fn an_existing_different_file_is_not_overwritten_without_force() {
    let out = tempfile::tempdir().unwrap();
    let sample = repo().join(SAMPLES[0]);
    assert!(generate(&sample, out.path(), &[]).status.success());
    let pdf = pdfs_in(out.path())[0].clone();
    std::fs::write(&pdf, b"someone else's file").unwrap();
    let o = generate(&sample, out.path(), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&pdf).unwrap(), b"someone else's file");
    assert!(generate(&sample, out.path(), &["--force"]).status.success());
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
}

#[test]
fn languages_select_the_text() {
    let sample = repo().join(SAMPLES[0]);
    let (zh, en) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    assert!(generate(&sample, zh.path(), &["--lang", "zh"])
        .status
        .success());
    assert!(generate(&sample, en.path(), &["--lang", "en"])
        .status
        .success());
    let zh_text = pdf_text_compact(&pdfs_in(zh.path())[0]);
    let en_text = pdf_text_compact(&pdfs_in(en.path())[0]);
    assert!(zh_text.contains("依法经营电信业务承诺书") && !zh_text.contains("Englishtranslation"));
    assert!(
        en_text.contains("BeijingYunshengTechnologyCo.,Ltd.")
            && !en_text.contains("依法经营电信业务承诺书")
    );
}

/// GB/T 9704: a signature and seal never stand on a page without body text above them
/// (anything could be printed there later); the end of the letter goes with them.
#[test]
fn no_signature_page_without_body_text() {
    let out = tempfile::tempdir().unwrap();
    for sample in SAMPLES {
        assert!(generate(&repo().join(sample), out.path(), &[])
            .status
            .success());
    }
    let mut checked = 0;
    for pdf in pdfs_in(out.path()) {
        let pages: Vec<String> = pdf_pages_text(&pdf).iter().map(|p| compact(p)).collect();
        let header = common_prefix(&pages);
        for (i, page) in pages.iter().enumerate() {
            for marker in ["法定代表人（签字）", "Legalrepresentative(signature)"] {
                let Some(at) = page.find(marker) else {
                    continue;
                };
                checked += 1;
                let before = &page[header.len()..at];
                // Before the signature's own first line ("承诺单位（盖章）：…") there must be
                // a sentence of the letter.
                let company_line = before.rfind(['（', '(']).map_or(before, |k| &before[..k]);
                assert!(
                    company_line.contains(['。', '.', '；', ';']),
                    "{}: page {} has the signature without body text: {before}",
                    pdf.display(),
                    i + 1
                );
            }
        }
    }
    assert!(checked >= 8, "only {checked} signatures found");
}

fn common_prefix(pages: &[String]) -> String {
    let first = pages.first().cloned().unwrap_or_default();
    let mut len = first.len();
    for p in pages {
        len = first
            .char_indices()
            .zip(p.chars())
            .take_while(|((_, a), b)| a == b)
            .map(|((i, a), _)| i + a.len_utf8())
            .last()
            .unwrap_or(0)
            .min(len);
    }
    first[..len].to_string()
}

/// typography.md §5: the signed Chinese letter is primary; its English translation follows
/// in the smaller reference style. English-only packets set the English in the English
/// letter style, since there the English is the letter, fitted to one page in quarter-point
/// steps down to 10 pt (so it may end up smaller than a bilingual packet's translation).
#[test]
fn letter_translations_are_set_smaller_than_the_letter() {
    let engine = licpack::packet::Engine::new(None).unwrap();
    let today = chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    let c = engine.load_company(&repo().join(SAMPLES[0])).unwrap();
    let p = &plan(&c, &engine.catalog, today, &Selection::default()).unwrap()[0];
    let size_of = |lang: Lang, needle: &str| {
        let (_, laid) = engine.lay_out(p, lang).unwrap();
        let size = laid
            .pages
            .iter()
            .flat_map(|page| page.runs())
            .find(|run| run.text.contains(needle))
            .map(|run| run.size.0);
        size.unwrap_or_else(|| panic!("{needle} not laid out"))
    };
    let chinese = size_of(Lang::Bilingual, "严格遵守");
    let translation = size_of(Lang::Bilingual, "solemnly");
    let english_only = size_of(Lang::En, "solemnly");
    assert!(translation < chinese, "{translation} vs {chinese}");
    assert!(english_only >= 10.0, "{english_only} vs {translation}");
    // The translation's point numbers take its size too.
    let (_, laid) = engine.lay_out(p, Lang::Bilingual).unwrap();
    let page = laid
        .pages
        .iter()
        .find(|page| page.runs().any(|r| r.text.contains("solemnly")))
        .unwrap();
    let marker = page
        .runs()
        .find(|r| r.text == "1.")
        .expect("a numbered point");
    assert!(
        (marker.size.0 - translation).abs() < 0.01,
        "{}",
        marker.size.0
    );
    // Its title is a size down from the Chinese title; standing alone, above its own body.
    // (The checklist names the letters too, smaller: the largest run is the title.)
    let title_size = |lang: Lang, needle: &str| {
        let (_, laid) = engine.lay_out(p, lang).unwrap();
        let sizes = laid.pages.iter().flat_map(|page| page.runs());
        let sizes = sizes
            .filter(|run| run.text.contains(needle))
            .map(|run| run.size.0);
        sizes.fold(0.0_f32, f32::max)
    };
    let chinese_title = title_size(Lang::Bilingual, "依法经营");
    let translation_title = title_size(Lang::Bilingual, "Letter of Commitment to Operate");
    let english_title = title_size(Lang::En, "Letter of Commitment to Operate");
    assert!(
        translation_title < chinese_title && translation_title > translation,
        "{translation_title} vs {chinese_title}, translation body {translation}"
    );
    assert!(
        english_title > english_only && english_title <= chinese_title,
        "{english_title} vs body {english_only}, {chinese_title}"
    );
}
