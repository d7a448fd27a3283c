use super::*;
use crate::document::{DocumentKind, Packet};
use crate::layout::tests::{letter, packet};
use crate::layout::{layout_with, Fit, LaidOutPacket};

fn laid(doc_packet: &Packet, style: &Style) -> LaidOutPacket {
    layout_with(doc_packet, FontBook::builtin(), &|_: DocumentKind| {
        style.clone()
    })
    .unwrap()
}

/// Pages of each part (split at the page where "承诺书" starts again) and the body size of
/// its clauses ("本公司郑重承诺" opens each).
fn clause_sizes(laid: &LaidOutPacket) -> Vec<f32> {
    laid.pages
        .iter()
        .filter_map(|p| {
            p.runs()
                .find(|r| r.text.starts_with("本公司郑重承诺"))
                .map(|r| r.size.0)
        })
        .collect()
}

#[test]
fn sizes_step_down_by_half_points_to_the_minimum() {
    let letter = Style::letter();
    let sizes: Vec<f32> = candidate_sizes(&letter).iter().map(|p| p.0).collect();
    assert_eq!(
        sizes,
        [16.0, 15.5, 15.0, 14.5, 14.0, 13.5, 13.0, 12.5, 12.0]
    );
    let mut odd = Style::letter();
    odd.min_body_size = Pt(14.8);
    let sizes: Vec<f32> = candidate_sizes(&odd).iter().map(|p| p.0).collect();
    assert_eq!(sizes, [16.0, 15.5, 15.0, 14.8]);
    odd.min_body_size = Pt(18.0);
    assert_eq!(candidate_sizes(&odd), [Pt(16.0)]);
}

/// Letters of growing length: one that fits keeps 三号; one a little long takes the largest
/// step that fits one page (half a point more would not); one too long even at 小四 flows
/// on at 小四, never smaller.
#[test]
fn a_letter_takes_the_largest_size_that_fits_one_page_and_never_less_than_the_minimum() {
    let fitted = Style::letter();
    let flowing = Style {
        fit: Fit::Flow,
        ..Style::letter()
    };
    let (mut kept, mut shrunk, mut overflowed) = (0, 0, 0);
    for clauses in 1..=14 {
        let doc = packet(vec![letter(clauses)]);
        let one = laid(&doc, &fitted);
        let sizes = clause_sizes(&one);
        let size = sizes[0];
        assert!(sizes.iter().all(|s| *s == size), "{sizes:?}");
        assert!((12.0..=16.0).contains(&size), "{clauses}: {size}");
        if laid(&doc, &flowing).pages.len() == 1 {
            assert_eq!(size, 16.0, "{clauses} clauses fit as they are");
            kept += 1;
        } else if one.pages.len() == 1 {
            let larger = Style {
                fit: Fit::Flow,
                ..Style::letter().scaled_to(Pt(size + Style::letter().fit_step.0))
            };
            assert!(laid(&doc, &larger).pages.len() > 1, "{clauses}: {size}");
            shrunk += 1;
        } else {
            assert_eq!(size, 12.0, "{clauses} clauses flow on at the minimum");
            overflowed += 1;
        }
    }
    assert!(
        kept > 0 && shrunk > 0 && overflowed > 0,
        "{kept} {shrunk} {overflowed}"
    );
}

/// The letter and its translation (after a page break) are fitted each on its own: a short
/// part keeps its size beside a long one that shrinks.
#[test]
fn each_part_of_a_letter_is_fitted_on_its_own() {
    let mut doc = letter(1);
    doc.blocks.push(Block::PageBreak);
    doc.blocks.extend(letter(4).blocks);
    let one = laid(&packet(vec![doc]), &Style::letter());
    assert_eq!(one.pages.len(), 2);
    let sizes = clause_sizes(&one);
    assert!(sizes[0] == 16.0 && sizes[1] < 16.0, "{sizes:?}");
}

#[test]
fn a_two_hundred_page_letter_is_laid_out_twice_and_quickly() {
    let start = std::time::Instant::now();
    let one = laid(&packet(vec![letter(760)]), &Style::letter());
    let elapsed = start.elapsed().as_secs_f64();
    assert!(one.pages.len() > 100, "{}", one.pages.len());
    assert_eq!(clause_sizes(&one)[0], 12.0);
    let limit = if cfg!(debug_assertions) { 60.0 } else { 2.0 };
    assert!(elapsed < limit, "{elapsed} s");
}
