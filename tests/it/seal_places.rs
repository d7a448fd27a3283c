//! End-to-end: the seal placeholder sits beside the signature of each Chinese letter, over
//! no text, and `seal_placeholder = false` removes it; the checklist says which letters to
//! sign and seal, and a region's sealing rule where the packet is filed there.

use crate::common;

use std::path::Path;

use common::letters::*;
use common::*;
use licpack::document::DocumentKind;
use licpack::layout::{CircleShape, Page};
use licpack::packet::Engine;

const RENEWAL: &str = "samples/callcenter-renewal.toml";

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
    // 13 letters in the samples alone; with the shared cases, twice that.
    let enough = if shared_cases().is_some() { 20 } else { 12 };
    assert!(checked >= enough, "{checked}");
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
    let found = body_runs(page)
        .filter(|r| r.text.contains(&first_chars) || r.text.contains("（盖章）"))
        .last()
        .unwrap_or_else(|| panic!("{what}: no company line"));
    // Compressed punctuation splits a line into several runs: measure from its first run.
    let start = body_runs(page)
        .filter(|r| (r.origin.y.0 - found.origin.y.0).abs() < 0.01)
        .map(|r| r.origin.x.0)
        .fold(found.origin.x.0, f32::min);
    let mut line = found.bounds();
    line.width.0 += line.x.0 - start;
    line.x.0 = start;
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

/// The checklist (the pages before the first letter) says the Chinese page of each letter
/// listed is signed and sealed and the translations are not, names every letter, adds a
/// letter's own signing rule under it (the rectification report's scan), and states the
/// region's rule (a seal on every page) only for a packet filed with that region.
#[test]
fn the_checklist_says_which_letters_to_sign_and_seal() {
    let engine = Engine::new(None).unwrap();
    let cases = [
        (RENEWAL, false),
        ("samples/callcenter-reapplication.toml", true),
    ];
    let mut specific = 0;
    for (sample, every_page) in cases {
        let out = tempfile::tempdir().unwrap();
        let o = generate(&repo().join(sample), out.path(), &[]);
        assert!(o.status.success(), "{}", stderr(&o));
        let pages = pdf_pages_text(&pdfs_in(out.path())[0]);
        let mut checklist = String::new();
        each_packet(&engine, &repo().join(sample), |p, _, laid| {
            checklist = compact(&pages[..laid.outline[1].page].concat());
            for letter in &p.letters {
                let title = checklist.rfind(&compact(&letter.title.zh));
                let title = title.unwrap_or_else(|| panic!("{sample}: {}", letter.title.zh));
                let Some(signing) = &letter.signing else {
                    continue;
                };
                let line = compact(&format!("签章：{}", signing.zh));
                let after = &checklist[title..];
                assert!(
                    after.contains(&line),
                    "{sample}: {line} not after its title"
                );
                specific += 1;
            }
        });
        let rule =
            "函件须由法定代表人在中文页签字线上亲笔签字，并在预留处加盖公章；英文译文不签章。";
        assert!(checklist.contains(rule), "{sample}");
        assert_eq!(
            checklist.contains("每页加盖公章"),
            every_page,
            "{sample}: {checklist}"
        );
        if every_page {
            assert!(checklist.contains("来源S74"), "{sample}");
        }
    }
    assert_eq!(specific, 1, "the rectification report's scan");
}
