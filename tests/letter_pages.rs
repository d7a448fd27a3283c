//! End-to-end: every built-in letter of every sample (and shared case) takes one page per
//! part — the Chinese letter, then its translation — within the style's size limits; a
//! letter too long for a page flows on at the minimum size; the seal placeholder sits beside
//! the signature, over no text, and `seal_placeholder = false` removes it.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use licpack::document::{Block, Document, DocumentKind, Packet};
use licpack::layout::{CircleShape, GlyphRun, Item, LaidOutPacket, Page};
use licpack::packet::Engine;
use licpack::plan::{plan, PacketPlan, Selection};
use licpack::templates::Lang;

const RENEWAL: &str = "samples/callcenter-renewal.toml";
const LAWFUL: &str = "documents/letters/commitment-lawful.md.tera";

/// Every company file of `samples/` and, when present, of `../shared/cases/`.
fn sample_files() -> Vec<PathBuf> {
    let mut dirs = vec![repo().join("samples")];
    dirs.extend(shared_cases());
    let mut files: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|d| std::fs::read_dir(d).unwrap().flatten().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

/// Lays out every packet of `company` (bilingual) and hands each to `check`.
fn each_packet(
    engine: &Engine,
    company: &Path,
    check: impl FnMut(&PacketPlan, &Packet, &LaidOutPacket),
) {
    each_packet_in(engine, company, Lang::Bilingual, check)
}

fn each_packet_in(
    engine: &Engine,
    company: &Path,
    lang: Lang,
    mut check: impl FnMut(&PacketPlan, &Packet, &LaidOutPacket),
) {
    let c = engine.load_company(company).unwrap();
    let today = chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    for p in plan(&c, &engine.catalog, today, &Selection::default()).unwrap() {
        let (packet, laid) = engine.lay_out(&p, lang).unwrap();
        check(&p, &packet, &laid);
    }
}

/// The pages of document `i`.
fn pages_of(laid: &LaidOutPacket, i: usize) -> &[Page] {
    let start = laid.outline[i].page;
    let end = laid.outline.get(i + 1).map_or(laid.pages.len(), |e| e.page);
    &laid.pages[start..end]
}

/// Parts of a letter: its blocks between top-level page breaks.
fn parts(document: &Document) -> usize {
    1 + document
        .blocks
        .iter()
        .filter(|b| matches!(b, Block::PageBreak))
        .count()
}

fn body_runs(page: &Page) -> impl Iterator<Item = &GlyphRun> {
    page.body.iter().filter_map(|i| match i {
        Item::Text(r) => Some(r),
        _ => None,
    })
}

/// The size most of the page's characters are set in: its body (or translation) size.
fn body_size(page: &Page) -> f32 {
    let mut by_size: Vec<(f32, usize)> = Vec::new();
    for run in body_runs(page) {
        let n = run.text.chars().count();
        match by_size.iter_mut().find(|(s, _)| *s == run.size.0) {
            Some((_, count)) => *count += n,
            None => by_size.push((run.size.0, n)),
        }
    }
    by_size
        .iter()
        .max_by_key(|(_, n)| *n)
        .map_or(0.0, |(s, _)| *s)
}

fn circles(page: &Page) -> Vec<CircleShape> {
    page.body
        .iter()
        .filter_map(|i| match i {
            Item::Circle(c) => Some(*c),
            _ => None,
        })
        .collect()
}

/// The pages of each part of a letter: the Chinese letter, then (from the page carrying the
/// translation note) its English translation.
fn part_pages(pages: &[Page]) -> Vec<&[Page]> {
    let text = |p: &Page| compact(&p.runs().map(|r| r.text.as_str()).collect::<String>());
    match pages
        .iter()
        .position(|p| text(p).contains("Englishtranslationforreference"))
    {
        Some(k) if k > 0 => vec![&pages[..k], &pages[k..]],
        _ => vec![pages],
    }
}

/// Each letter of each packet: one page per part, the Chinese body between 小四 and 三号,
/// the translation's between 小五 and 小四 (the 小四 minimum, scaled as the translation is).
/// Every commitment letter (承诺书) fits; a longer letter may take more pages only when set
/// at the minimum, 小四, and nothing smaller (the rectification report, one section per
/// failure reason, is one). Prints the page count of every packet.
#[test]
fn every_builtin_letter_of_every_sample_is_one_page_per_part() {
    let engine = Engine::new(None).unwrap();
    let (mut letters, mut commitments) = (0, 0);
    for file in sample_files() {
        each_packet(&engine, &file, |p, packet, laid| {
            println!("{:4} pages  {}", laid.pages.len(), p.file_stem);
            for (i, doc) in packet.documents.iter().enumerate() {
                if doc.kind != DocumentKind::Letter {
                    continue;
                }
                letters += 1;
                let what = format!("{}: {}", file.display(), doc.title);
                let parts_pages = part_pages(pages_of(laid, i));
                assert_eq!(parts_pages.len(), parts(doc), "{what}");
                let limits = [(12.0, 16.0), (9.0, 12.0)];
                for (pages, (min, max)) in parts_pages.iter().zip(limits) {
                    let sizes: Vec<f32> = pages.iter().map(body_size).collect();
                    assert!(
                        sizes.iter().all(|s| (min..=max).contains(s)),
                        "{what}: {sizes:?}"
                    );
                    if pages.len() > 1 {
                        println!("       {} pages at {sizes:?} pt: {what}", pages.len());
                        assert!(sizes.iter().all(|s| *s == min), "{what}: {sizes:?}");
                        assert!(!doc.title.contains("承诺书"), "{what}: {sizes:?}");
                    }
                }
                if doc.title.contains("承诺书") {
                    commitments += 1;
                    assert_eq!(pages_of(laid, i).len(), parts(doc), "{what}");
                }
            }
        });
    }
    assert!(
        letters >= 20 && commitments >= 15,
        "{letters} letters, {commitments} commitments"
    );
}

/// In an English-only packet the English is the letter, in the body style and its limits
/// (小四 to 三号): each letter is one page, or flows on at exactly 小四. (English runs
/// longer than Chinese, and on the 公文 line pitch many letters need two pages even at 小四.)
#[test]
fn english_only_letters_fit_one_page_or_flow_at_the_minimum() {
    let engine = Engine::new(None).unwrap();
    let (mut one_page, mut flowing) = (0, 0);
    for file in sample_files() {
        each_packet_in(&engine, &file, Lang::En, |_, packet, laid| {
            for (i, doc) in packet.documents.iter().enumerate() {
                if doc.kind != DocumentKind::Letter {
                    continue;
                }
                let what = format!("{}: {}", file.display(), doc.title);
                let sizes: Vec<f32> = pages_of(laid, i).iter().map(body_size).collect();
                assert!(
                    sizes.iter().all(|s| (12.0..=16.0).contains(s)),
                    "{what}: {sizes:?}"
                );
                if sizes.len() == 1 {
                    one_page += 1;
                } else {
                    assert!(sizes.iter().all(|s| *s == 12.0), "{what}: {sizes:?}");
                    flowing += 1;
                }
            }
        });
    }
    println!("English only: {one_page} letters on one page, {flowing} on more at 小四");
    assert!(
        one_page > 0 && one_page + flowing >= 30,
        "{one_page} + {flowing}"
    );
}

/// A letter three times as long as the built-in one cannot fit: its Chinese part flows onto
/// a second page, set at 小四 and nothing smaller, while the other letters stay one page.
#[test]
fn a_letter_too_long_for_a_page_flows_on_at_the_minimum_size() {
    let dir = tempfile::tempdir().unwrap();
    let builtin = std::fs::read_to_string(repo().join("templates").join(LAWFUL)).unwrap();
    let point = builtin
        .lines()
        .find(|l| l.starts_with("四、保证服务质量"))
        .unwrap();
    let longer = builtin.replacen(
        point,
        &format!(
            "{point}\n\n{point}\n\n{point}\n\n{point}\n\n{point}\n\n{point}\n\n{point}\n\n{point}"
        ),
        1,
    );
    let path = dir.path().join(LAWFUL);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, longer).unwrap();
    let engine = Engine::new(Some(dir.path())).unwrap();
    let mut checked = false;
    each_packet(&engine, &repo().join(RENEWAL), |_, packet, laid| {
        assert_long_lawful_letter_flows(packet, laid);
        checked = true;
    });
    assert!(checked);
}

fn assert_long_lawful_letter_flows(packet: &Packet, laid: &LaidOutPacket) {
    let i = packet
        .documents
        .iter()
        .position(|d| d.title.contains("依法经营"))
        .unwrap();
    let pages = pages_of(laid, i);
    let chinese: Vec<&Page> = pages
        .iter()
        .take_while(|page| !body_runs(page).any(|r| r.text.contains("English")))
        .collect();
    assert_eq!(chinese.len(), 2, "{} pages in all", pages.len());
    for page in &chinese {
        let smallest = body_runs(page).map(|r| r.size.0).fold(f32::MAX, f32::min);
        assert_eq!(smallest, 12.0);
        assert_eq!(body_size(page), 12.0);
    }
    for (j, doc) in packet.documents.iter().enumerate() {
        if doc.kind == DocumentKind::Letter && j != i {
            assert_eq!(pages_of(laid, j).len(), parts(doc), "{}", doc.title);
        }
    }
}

fn overlaps(a: licpack::units::Rect, b: licpack::units::Rect) -> bool {
    a.x.0 < b.right().0 && a.right().0 > b.x.0 && a.y.0 < b.bottom().0 && a.bottom().0 > b.y.0
}

/// On every Chinese letter page: one 42 mm circle in the type area, over no text, beside or
/// just above the company line of the signature; none on translation pages.
#[test]
fn the_seal_placeholder_sits_by_the_company_line_over_no_text() {
    let engine = Engine::new(None).unwrap();
    let mut checked = 0;
    for file in sample_files() {
        each_packet(&engine, &file, |p, packet, laid| {
            for (i, doc) in packet.documents.iter().enumerate() {
                if doc.kind != DocumentKind::Letter {
                    continue;
                }
                let what = format!("{}: {}", file.display(), doc.title);
                let pages = part_pages(pages_of(laid, i));
                let signed = pages[0].last().unwrap();
                let [circle] = circles(signed)[..] else {
                    panic!("{what}: not one circle on the letter's signature page")
                };
                assert_seal_place(signed, circle, &p.company.info.name, &what);
                let all = pages.iter().flat_map(|part| part.iter());
                assert_eq!(all.map(|pg| circles(pg).len()).sum::<usize>(), 1, "{what}");
                checked += 1;
            }
        });
    }
    assert!(checked >= 20, "{checked}");
}

fn assert_seal_place(page: &Page, circle: CircleShape, company: &str, what: &str) {
    let b = circle.bounds();
    assert!((b.width.to_mm() - 42.0).abs() < 0.01, "{what}: {b:?}");
    let area = page.type_area;
    assert!(
        b.x.0 >= area.x.0 - 0.01
            && b.right().0 <= area.right().0 + 0.01
            && b.y.0 >= area.y.0 - 0.01
            && b.bottom().0 <= area.bottom().0 + 0.01,
        "{what}: {b:?} outside {area:?}"
    );
    for run in page.runs() {
        assert!(
            !overlaps(run.bounds(), b),
            "{what}: {} in the seal",
            run.text
        );
    }
    // The company line of the signature: the last run naming the company (or its start,
    // for a name that wraps).
    let first_chars: String = company.chars().take(4).collect();
    let line = body_runs(page)
        .filter(|r| r.text.contains(&first_chars) || r.text.contains("（盖章）"))
        .last()
        .unwrap_or_else(|| panic!("{what}: no company line"))
        .bounds();
    let beside = line.bottom().0 > b.y.0 && line.y.0 < b.bottom().0 && line.x.0 >= b.right().0;
    let below = line.y.0 >= b.bottom().0 && line.y.0 - b.bottom().0 < 2.0 * line.height.0;
    assert!(beside || below, "{what}: {line:?} not by the seal {b:?}");
    if beside {
        assert!(
            line.x.0 - b.right().0 < 16.0,
            "{what}: too far from the seal"
        );
    }
}

/// `seal_placeholder = false` (letterhead paper): no circle in the layout, and the PDF's
/// letter pages draw no curve; with the default, each Chinese letter page draws four arcs.
#[test]
fn seal_placeholder_false_removes_the_circle_from_layout_and_pdf() {
    let curves = |templates: Option<&Path>| {
        let out = tempfile::tempdir().unwrap();
        let mut args = vec![];
        if let Some(t) = templates {
            args = vec!["--templates", t.to_str().unwrap()];
        }
        let o = generate(&repo().join(RENEWAL), out.path(), &args);
        assert!(o.status.success(), "{}", stderr(&o));
        let doc = lopdf::Document::load(&pdfs_in(out.path())[0]).unwrap();
        doc.get_pages()
            .values()
            .map(|id| {
                let content = lopdf::content::Content::decode(&doc.get_page_content(*id)).unwrap();
                content
                    .operations
                    .iter()
                    .filter(|op| op.operator == "c")
                    .count()
            })
            .collect::<Vec<usize>>()
    };
    let with = curves(None);
    assert_eq!(with.iter().filter(|n| **n == 4).count(), 3, "{with:?}");
    assert_eq!(with.iter().sum::<usize>(), 12, "{with:?}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("style.toml"),
        "[letter]\nseal_placeholder = false\n",
    )
    .unwrap();
    let without = curves(Some(dir.path()));
    assert_eq!(without.len(), with.len());
    assert!(without.iter().all(|n| *n == 0), "{without:?}");
    let engine = Engine::new(Some(dir.path())).unwrap();
    each_packet(&engine, &repo().join(RENEWAL), |_, _, laid| {
        assert!(laid.pages.iter().all(|pg| circles(pg).is_empty()));
    });
}

/// The checklist (the pages before the first letter) names each letter to sign and seal,
/// with the catalog's signing text, says the translations are not sealed, and states the
/// region's rule (a seal on every page) only for a packet filed with that region.
#[test]
fn the_checklist_says_which_letters_to_sign_and_seal() {
    let engine = Engine::new(None).unwrap();
    let cases = [
        (RENEWAL, false),
        ("samples/callcenter-reapplication.toml", true),
    ];
    for (sample, every_page) in cases {
        let out = tempfile::tempdir().unwrap();
        let o = generate(&repo().join(sample), out.path(), &[]);
        assert!(o.status.success(), "{}", stderr(&o));
        let pages = pdf_pages_text(&pdfs_in(out.path())[0]);
        let mut checklist = String::new();
        each_packet(&engine, &repo().join(sample), |p, _, laid| {
            checklist = compact(&pages[..laid.outline[1].page].concat());
            for letter in &p.letters {
                let signing = letter.signing.as_ref().expect("built-in letters say");
                let title = checklist.rfind(&compact(&letter.title.zh)).unwrap();
                let line = compact(&format!("签字盖章：{}", signing.zh));
                let after = &checklist[title..];
                assert!(
                    after.contains(&line),
                    "{sample}: {line} not after its title"
                );
            }
        });
        assert!(
            checklist.contains("英文译文仅供参考，不签字、不盖章"),
            "{sample}"
        );
        let rule = "每页加盖公章";
        assert_eq!(
            checklist.contains(rule),
            every_page,
            "{sample}: {checklist}"
        );
        if every_page {
            assert!(checklist.contains("来源S74"), "{sample}");
        }
    }
}
