//! End-to-end: every built-in letter of every sample (and shared case) takes one page per
//! part — the Chinese letter, then its translation — within the style's size limits; a
//! letter too long for a page flows on at the minimum size.

use crate::common;

use common::letters::*;
use common::*;
use licpack::document::{DocumentKind, Packet};
use licpack::layout::{LaidOutPacket, Page};
use licpack::packet::Engine;
use licpack::templates::Lang;

const RENEWAL: &str = "samples/callcenter-renewal.toml";
const LAWFUL: &str = "documents/letters/commitment-lawful.md.tera";

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
    // The samples alone hold 13 letters (11 commitments); with the shared cases, twice that.
    let (min_letters, min_commitments) = match shared_cases() {
        Some(_) => (20, 15),
        None => (12, 10),
    };
    assert!(
        letters >= min_letters && commitments >= min_commitments,
        "{letters} letters, {commitments} commitments"
    );
}

/// In an English-only packet the English is the letter, in the English letter preset
/// (小四 on a 16.8 pt pitch, stepping by a quarter point down to 10 pt). Every commitment
/// letter fits one page within those sizes; a longer letter flows on only at the 10 pt
/// floor, as its Chinese original does at 小四 (the rectification report, one section per
/// failure reason, takes two pages in both languages).
#[test]
fn english_only_letters_fit_one_page_each() {
    let engine = Engine::new(None).unwrap();
    let (mut letters, mut flowing) = (0, 0);
    for file in sample_files() {
        each_packet_in(&engine, &file, Lang::En, |_, packet, laid| {
            for (i, doc) in packet.documents.iter().enumerate() {
                if doc.kind != DocumentKind::Letter {
                    continue;
                }
                let what = format!("{}: {}", file.display(), doc.title);
                let sizes: Vec<f32> = pages_of(laid, i).iter().map(body_size).collect();
                assert!(
                    sizes.iter().all(|s| (10.0..=12.0).contains(s)),
                    "{what}: {sizes:?}"
                );
                if sizes.len() > 1 {
                    flowing += 1;
                    println!("{} pages at {sizes:?} pt: {what}", sizes.len());
                    assert!(!doc.title.contains("承诺书"), "{what}: {sizes:?}");
                    assert_eq!(sizes, [10.0, 10.0], "{what}");
                }
                letters += 1;
            }
        });
    }
    // 13 letters in the samples alone, 38 with the shared cases; only the rectification
    // reports (one per re-application) flow on.
    let min_letters = if shared_cases().is_some() { 30 } else { 12 };
    assert!(letters >= min_letters, "{letters} letters");
    assert!(flowing <= 2, "{flowing} letters on more than one page");
}

/// From outside: `generate --lang en` writes each commitment letter of the renewal,
/// re-application and legal-rep-change samples on one page, counted from the PDF's
/// bookmarks (one per document, the checklist first). The rectification report may take
/// two, and then its second page carries body text above the signature, never the
/// signature block alone.
#[test]
fn english_packets_have_one_page_per_letter() {
    let dir = tempfile::tempdir().unwrap();
    for (sample, expected) in [
        ("callcenter-renewal", [3, 3]),
        ("callcenter-reapplication", [4, 5]),
        ("callcenter-legal-rep-change", [3, 3]),
    ] {
        let out = dir.path().join(sample);
        let company = repo().join("samples").join(format!("{sample}.toml"));
        let o = generate(&company, &out, &["--lang", "en"]);
        assert!(o.status.success(), "{sample}: {}", stderr(&o));
        for pdf in pdfs_in(&out) {
            let doc = lopdf::Document::load(&pdf).unwrap();
            let pages = doc.get_pages().len();
            let toc = doc.get_toc().unwrap().toc;
            let starts: Vec<usize> = toc.iter().map(|t| t.page).collect();
            assert!(toc.len() >= 2, "{}: {toc:?}", pdf.display());
            let letters = &toc[1..];
            let mut ends: Vec<usize> = starts[2..].to_vec();
            ends.push(pages + 1);
            let mut letter_pages = 0;
            for (letter, end) in letters.iter().zip(ends) {
                let taken = end - letter.page;
                letter_pages += taken;
                let what = format!(
                    "{}: {} takes pages {}..{end} of {pages}",
                    pdf.display(),
                    letter.title,
                    letter.page
                );
                if letter.title.contains("Commitment") {
                    assert_eq!(taken, 1, "{what}");
                } else {
                    assert!(taken <= 2, "{what}");
                    if taken == 2 {
                        assert_body_above_signature(&pdf, end - 1, &what);
                    }
                }
            }
            assert_eq!([letters.len(), letter_pages], expected, "{}", pdf.display());
            println!(
                "{sample}: {} letters on {letter_pages} pages ({} for the checklist)",
                letters.len(),
                starts[1] - starts[0]
            );
        }
    }
}

/// Page `page` of `pdf` has a line of letter body besides the running header, the
/// signature block and the page number.
fn assert_body_above_signature(pdf: &std::path::Path, page: usize, what: &str) {
    let o = std::process::Command::new("pdftotext")
        .args(["-f", &page.to_string(), "-l", &page.to_string(), "-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    let text = String::from_utf8_lossy(&o.stdout);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let signature = lines
        .iter()
        .position(|l| l.starts_with("Company (seal)"))
        .unwrap_or_else(|| panic!("{what}: no signature on its last page: {lines:?}"));
    // The running header is the page's first line.
    assert!(
        signature >= 2,
        "{what}: the signature stands alone: {lines:?}"
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
