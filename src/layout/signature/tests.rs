use super::*;
use crate::document::{Block, Inline};
use crate::fonts::FontBook;
use crate::layout::style::Style;
use crate::layout::tests::{body_runs, inside, letter, packet};
use crate::layout::{layout, GlyphRun};

fn signature_paragraphs() -> Vec<Paragraph> {
    let Some(Block::Signature(paragraphs)) = letter(0).blocks.pop() else {
        panic!("the fixture letter ends with its signature")
    };
    paragraphs
}

fn slab_with(style: &Style, paragraphs: &[Paragraph]) -> (Slab, Rect, Frame) {
    let cx = Context {
        style,
        fonts: FontBook::builtin(),
    };
    let frame = Frame {
        x: style.margin_left.0,
        width: style.measure().0,
        indent_paragraphs: true,
    };
    let (slab, seal) = signature_slab(paragraphs, frame, &cx).unwrap();
    (slab, seal, frame)
}

fn runs(items: &[Item]) -> impl Iterator<Item = &GlyphRun> {
    items.iter().filter_map(|i| match i {
        Item::Text(r) => Some(r),
        _ => None,
    })
}

fn circles(items: &[Item]) -> Vec<CircleShape> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Circle(c) => Some(*c),
            _ => None,
        })
        .collect()
}

/// Asserts `holds` of the box of every text run of `slab`.
fn every_run(slab: &Slab, holds: impl Fn(Rect) -> bool, what: &str) {
    for run in runs(&slab.items) {
        assert!(holds(run.bounds()), "{} not {what}", run.text);
    }
}

fn overlaps(a: Rect, b: Rect) -> bool {
    a.x.0 < b.right().0 && a.right().0 > b.x.0 && a.y.0 < b.bottom().0 && a.bottom().0 > b.y.0
}

/// The circle is the seal's size, inside the type area's width and the slab, beside the
/// company name (level with it, at most an em to its left) and clear of every text box.
#[test]
fn seal_placeholder_is_a_42_mm_circle_beside_the_name_and_over_no_text() {
    let style = Style::letter().scaled_to(Pt(14.0));
    let (slab, seal, frame) = slab_with(&style, &signature_paragraphs());
    let [circle] = circles(&slab.items)[..] else {
        panic!("one placeholder circle: {:?}", slab.items)
    };
    let b = circle.bounds();
    assert!((b.width.to_mm() - 42.0).abs() < 0.01, "{b:?}");
    assert!((b.x.0 - seal.x.0).abs() < 0.01 && (b.y.0 - seal.y.0).abs() < 0.01);
    assert!(circle.stroke.color == Rgb::LIGHT_GREY && circle.stroke.width.0 <= 0.5);
    assert!(
        b.x.0 >= frame.x && b.right().0 <= frame.x + frame.width,
        "{b:?}"
    );
    assert!(b.y.0 >= 0.0 && b.bottom().0 <= slab.height + 0.01, "{b:?}");
    for run in runs(&slab.items) {
        assert!(!overlaps(run.bounds(), b), "{} inside the seal", run.text);
    }
    let name = runs(&slab.items)
        .find(|r| r.text.contains("北京云声科技"))
        .unwrap()
        .bounds();
    let line_start = runs(&slab.items)
        .filter(|r| (r.origin.y.0 - name.bottom().0).abs() < name.height.0)
        .map(|r| r.bounds().x.0)
        .fold(f32::MAX, f32::min);
    assert!(
        name.y.0 >= b.y.0 && name.bottom().0 <= b.bottom().0,
        "level"
    );
    let gap = line_start - b.right().0;
    assert!(gap > 0.0 && gap <= style.body.size.0, "gap {gap}");
}

const LONG_NAME: &str =
    "承诺单位（盖章）：内蒙古自治区呼和浩特市赛罕区草原丝路国际呼叫中心有限公司";

fn with_long_name() -> Vec<Paragraph> {
    let mut paragraphs = signature_paragraphs();
    paragraphs[0].inlines = vec![Inline::Text(crate::document::Span::plain(LONG_NAME))];
    paragraphs
}

/// A name too long to leave room beside it wraps, so the seal stays beside the block (above
/// it, the slab would be a seal's height taller and push a letter onto a second page).
#[test]
fn a_long_name_wraps_beside_the_seal() {
    let style = Style::letter();
    let (slab, seal, frame) = slab_with(&style, &with_long_name());
    assert!((seal.x.0 - frame.x).abs() < 0.01, "{seal:?}");
    let lines: std::collections::BTreeSet<i32> =
        runs(&slab.items).map(|r| r.origin.y.0 as i32).collect();
    assert!(lines.len() >= 4, "the company line wraps: {lines:?}");
    every_run(&slab, |b| b.x.0 >= seal.right().0, "beside the seal");
}

/// When even the line to sign would not fit beside the seal (a narrow column), the seal goes
/// above the block, at its right, still over no text.
#[test]
fn without_room_beside_the_seal_goes_above_the_block() {
    let mut style = Style::letter();
    style.margin_right = style.page_width - style.margin_left - Pt(300.0);
    let (slab, seal, frame) = slab_with(&style, &with_long_name());
    let [circle] = circles(&slab.items)[..] else {
        panic!("one circle")
    };
    assert!((circle.bounds().right().0 - seal.right().0).abs() < 0.01);
    assert!(seal.right().0 <= frame.x + frame.width + 0.01);
    every_run(&slab, |b| b.y.0 >= seal.bottom().0, "below the seal");
}

#[test]
fn the_signature_label_gets_a_rule_to_sign_on() {
    let style = Style::letter();
    let (slab, _, _) = slab_with(&style, &signature_paragraphs());
    // The label may be more than one run (`）：` is compressed): its last one on its line.
    let baseline = runs(&slab.items)
        .find(|r| r.text.contains("（签字）"))
        .unwrap()
        .origin
        .y;
    let label = runs(&slab.items)
        .filter(|r| r.origin.y == baseline)
        .max_by(|a, b| a.bounds().right().0.total_cmp(&b.bounds().right().0))
        .unwrap();
    assert!(label.text.ends_with('：'), "{label:?}");
    let rules: Vec<&LineSegment> = slab
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Line(l) => Some(l),
            _ => None,
        })
        .collect();
    let [rule] = rules[..] else {
        panic!("one rule: {rules:?}")
    };
    assert!(rule.from.x.0 > label.bounds().right().0);
    assert!(rule.to.x.0 - rule.from.x.0 >= SIGN_RULE_EM * style.body.size.0 - 0.01);
    assert!(rule.from.y.0 > label.origin.y.0 && rule.from.y.0 < label.bounds().bottom().0);
}

/// Off (letterhead printing): no circle, but the place stays clear.
#[test]
fn the_placeholder_can_be_turned_off_and_the_place_stays_clear() {
    let style = Style {
        seal_placeholder: false,
        ..Style::letter()
    };
    let (slab, seal, _) = slab_with(&style, &signature_paragraphs());
    assert!(circles(&slab.items).is_empty());
    assert!((seal.width.to_mm() - 42.0).abs() < 0.01);
    for run in runs(&slab.items) {
        assert!(!overlaps(run.bounds(), seal), "{}", run.text);
    }
}

#[test]
fn a_translated_signature_keeps_no_seal_and_no_rule() {
    let style = Style::letter();
    let mut paragraphs = signature_paragraphs();
    for inline in paragraphs.iter_mut().flat_map(|p| &mut p.inlines) {
        if let Inline::Text(span) = inline {
            span.secondary = true;
        }
    }
    let (slab, seal, _) = slab_with(&style, &paragraphs);
    assert_eq!(seal.width.0, 0.0);
    assert!(slab.items.iter().all(|i| matches!(i, Item::Text(_))));
    let text_bottom = runs(&slab.items)
        .map(|r| r.bounds().bottom().0)
        .fold(0.0, f32::max);
    assert!(slab.height < style.seal_size.0, "{}", slab.height);
    assert!(slab.height + 0.01 >= text_bottom);
}

/// On the page: the circle lies in the type area and no text of the page enters it.
#[test]
fn on_the_page_the_circle_is_in_the_type_area_and_clear_of_text() {
    let laid = layout(&packet(vec![letter(3)]), FontBook::builtin()).unwrap();
    let mut found = 0;
    for page in &laid.pages {
        for circle in circles(&page.body) {
            found += 1;
            assert!(inside(circle.bounds(), page.type_area, 0.01), "{circle:?}");
            for run in body_runs(page) {
                assert!(!overlaps(run.bounds(), circle.bounds()), "{}", run.text);
            }
        }
    }
    assert_eq!(found, 1);
}
