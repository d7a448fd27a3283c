//! Remembers, per thread, how paragraphs were measured ([`shape`]) and set into lines
//! ([`set_lines`]), so text that comes back is measured and broken once: a letter tried at
//! several body sizes repeats every paragraph at each, and in a batch every client's packet
//! repeats the templates' wording, the materials table and the header and footer.
//!
//! Written here rather than taken from a memoisation crate because the keys are ours and
//! cheap to make exact: a paragraph's inlines, span styles and font book give its glyphs;
//! those glyphs (named by the number this memo gave them) and a line setting give its lines.
//! A remembered result is the one the uncached function returned for the same key, so
//! output does not depend on what a thread laid out before.
//!
//! Each table holds at most a few thousand entries and is emptied when full: a batch's
//! worker keeps what its clients share, one odd packet cannot grow it without bound.

use std::cell::RefCell;

use rustc_hash::FxHashMap;

use crate::document::{Inline, Span};
use crate::fonts::FontBook;

use super::paragraph::{self, LaidLine, LineSetting};
use super::style::TextStyle;
use super::text::{self, Shaped, SpanStyles};
use super::LayoutError;

/// Distinct paragraphs remembered per thread (a renewal packet has about 300).
const SHAPES: usize = 4096;
/// Distinct (paragraph, setting) pairs remembered per thread.
const SETTINGS: usize = 8192;

#[derive(Default)]
struct Memo {
    shapes: FxHashMap<Vec<u8>, Shaped>,
    lines: FxHashMap<SettingKey, Vec<LaidLine>>,
    /// Narrowest and natural widths, by paragraph number.
    extents: FxHashMap<u64, (f32, f32)>,
    /// The number the next newly measured paragraph is given; never reused, so a line
    /// setting remembered for an emptied shape table can never match another paragraph.
    next_id: u64,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct SettingKey {
    shaped: u64,
    x: u32,
    width: u32,
    indent: u32,
    align: u8,
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

/// [`text::shape`], remembered: the same inlines in the same styles and font book give a
/// copy of the glyphs measured the first time.
pub(crate) fn shape(
    inlines: &[Inline],
    styles: SpanStyles,
    fonts: &FontBook,
) -> Result<Shaped, LayoutError> {
    let key = shape_key(inlines, styles, fonts);
    if let Some(shaped) = MEMO.with(|m| m.borrow().shapes.get(&key).cloned()) {
        return Ok(shaped);
    }
    let mut shaped = text::shape(inlines, styles, fonts)?;
    MEMO.with(|m| {
        let mut memo = m.borrow_mut();
        if memo.shapes.len() >= SHAPES {
            memo.shapes.clear();
        }
        shaped.memo_id = Some(memo.next_id);
        memo.next_id += 1;
        memo.shapes.insert(key, shaped.clone());
    });
    Ok(shaped)
}

/// [`paragraph::set_lines`], remembered for glyphs that came from [`shape`].
pub(crate) fn set_lines(shaped: &Shaped, setting: LineSetting) -> Vec<LaidLine> {
    let Some(id) = shaped.memo_id else {
        return paragraph::set_lines(shaped, setting);
    };
    let key = SettingKey {
        shaped: id,
        x: setting.x.to_bits(),
        width: setting.width.to_bits(),
        indent: setting.indent.to_bits(),
        align: setting.align as u8,
    };
    if let Some(lines) = MEMO.with(|m| m.borrow().lines.get(&key).cloned()) {
        return lines;
    }
    let lines = paragraph::set_lines(shaped, setting);
    MEMO.with(|m| {
        let mut memo = m.borrow_mut();
        if memo.lines.len() >= SETTINGS {
            memo.lines.clear();
        }
        memo.lines.insert(key, lines.clone());
    });
    lines
}

/// The widest unbreakable piece of `shaped` and its width unbroken (a table column's
/// minimum and natural width), remembered for glyphs that came from [`shape`].
pub(crate) fn extents(shaped: &Shaped) -> (f32, f32) {
    let measure = || {
        let breaker = shaped.breaker();
        (breaker.min_width(), breaker.max_width())
    };
    let Some(id) = shaped.memo_id else {
        return measure();
    };
    if let Some(extents) = MEMO.with(|m| m.borrow().extents.get(&id).copied()) {
        return extents;
    }
    let extents = measure();
    MEMO.with(|m| {
        let mut memo = m.borrow_mut();
        if memo.extents.len() >= SHAPES {
            memo.extents.clear();
        }
        memo.extents.insert(id, extents);
    });
    extents
}

/// Every input of [`text::shape`], as bytes: the font book (both of its constructors give a
/// book that lives for the process, so its address names it), both span styles, then each inline.
fn shape_key(inlines: &[Inline], styles: SpanStyles, fonts: &FontBook) -> Vec<u8> {
    let text_len: usize = inlines
        .iter()
        .map(|i| match i {
            Inline::Text(span) => span.text.len() + 8,
            _ => 2,
        })
        .sum();
    let mut key = Vec::with_capacity(48 + text_len);
    key.extend((std::ptr::from_ref(fonts) as usize).to_le_bytes());
    style_bytes(&mut key, styles.primary);
    style_bytes(&mut key, styles.secondary);
    for inline in inlines {
        match inline {
            Inline::Text(Span {
                text,
                bold,
                secondary,
            }) => {
                key.extend([0, u8::from(*bold) | u8::from(*secondary) << 1]);
                key.extend((text.len() as u32).to_le_bytes());
                key.extend(text.as_bytes());
            }
            Inline::LineBreak => key.extend([1, 0]),
            Inline::CheckBox(state) => key.extend([2, *state as u8]),
        }
    }
    key
}

fn style_bytes(key: &mut Vec<u8>, style: TextStyle) {
    key.extend(style.size.0.to_bits().to_le_bytes());
    key.extend(style.leading.to_bits().to_le_bytes());
    key.extend([
        style.color.0,
        style.color.1,
        style.color.2,
        u8::from(style.bold),
    ]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Align, CheckState};
    use crate::units::Rgb;

    use super::text::test_styles as styles;

    fn setting(width: f32) -> LineSetting {
        LineSetting {
            x: 72.0,
            width,
            align: Align::Justify,
            indent: 24.0,
        }
    }

    fn text(s: &str) -> Vec<Inline> {
        vec![Inline::Text(Span::plain(s))]
    }

    #[test]
    fn remembered_results_equal_fresh_ones() {
        let fonts = FontBook::builtin();
        let inlines = text("本公司承诺：所提交的全部申请材料真实、有效，复印件与原件一致，如有虚假，愿承担由此产生的一切法律责任。We confirm that all materials are true.");
        for size in [12.0, 11.5, 12.0] {
            for width in [300.0, 420.0, 300.0] {
                let fresh = text::shape(&inlines, styles(size), fonts).unwrap();
                let remembered = shape(&inlines, styles(size), fonts).unwrap();
                assert_eq!(fresh.text, remembered.text);
                assert_eq!(fresh.glyphs, remembered.glyphs);
                assert!(remembered.memo_id.is_some());
                let breaker = fresh.breaker();
                assert_eq!(
                    extents(&remembered),
                    (breaker.min_width(), breaker.max_width())
                );
                assert_eq!(
                    paragraph::set_lines(&fresh, setting(width)),
                    set_lines(&remembered, setting(width)),
                    "size {size}, width {width}"
                );
            }
        }
    }

    #[test]
    fn every_input_is_part_of_the_key() {
        let fonts = FontBook::builtin();
        let base = shape_key(&text("承诺书"), styles(12.0), fonts);
        let bold = vec![Inline::Text(Span {
            text: "承诺书".into(),
            bold: true,
            secondary: false,
        })];
        let secondary = vec![Inline::Text(Span {
            text: "承诺书".into(),
            bold: false,
            secondary: true,
        })];
        let mut grey = styles(12.0);
        grey.primary.color = Rgb::DARK_GREY;
        let mut leading = styles(12.0);
        leading.secondary.leading = 1.2;
        let split = vec![
            Inline::Text(Span::plain("承诺")),
            Inline::Text(Span::plain("书")),
        ];
        let others = [
            shape_key(&text("承诺书 "), styles(12.0), fonts),
            shape_key(&text("承诺书"), styles(11.5), fonts),
            shape_key(&bold, styles(12.0), fonts),
            shape_key(&secondary, styles(12.0), fonts),
            shape_key(&text("承诺书"), grey, fonts),
            shape_key(&text("承诺书"), leading, fonts),
            shape_key(&split, styles(12.0), fonts),
            shape_key(&[Inline::CheckBox(CheckState::Ready)], styles(12.0), fonts),
            shape_key(
                &[Inline::CheckBox(CheckState::Missing)],
                styles(12.0),
                fonts,
            ),
        ];
        for (i, other) in others.iter().enumerate() {
            assert_ne!(&base, other, "variant {i}");
        }
    }
}
