//! Turns a letter's points written as text — consecutive body paragraphs opening 一、 二、
//! 三、…, as GB/T 9704 letters number them — into the spans of a Word list, so a clerk who
//! inserts or deletes a commitment gets the others renumbered. The PDF prints the same
//! characters; the Word list's label is "%1、" in Chinese counting, so the text is unchanged.

use crate::document::{Block, Inline, Paragraph};

const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// The number a paragraph opens with (1–99 in Chinese numerals, then 、) and the byte length
/// of that label.
pub fn label(p: &Paragraph) -> Option<(u32, usize)> {
    let Some(Inline::Text(span)) = p.inlines.first() else {
        return None;
    };
    let (numeral, _) = span.text.split_once('、')?;
    let n = parse(numeral)?;
    Some((n, numeral.len() + '、'.len_utf8()))
}

/// 一 … 九十九 (十, 十一, 二十, 二十一 …).
fn parse(numeral: &str) -> Option<u32> {
    let digit = |c: char| DIGITS.iter().position(|d| *d == c).map(|i| i as u32);
    let chars: Vec<char> = numeral.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [d] => digit(*d).filter(|n| *n > 0),
        ['十', d] => digit(*d).filter(|n| *n > 0).map(|n| 10 + n),
        [t, '十'] => digit(*t).filter(|n| *n > 1).map(|n| 10 * n),
        [t, '十', d] => {
            let (t, d) = (digit(*t)?, digit(*d)?);
            (t > 1 && d > 0).then_some(10 * t + d)
        }
        _ => None,
    }
}

/// How many blocks from the start of `blocks` form an enumeration 一、 二、 …: at least two
/// body paragraphs numbered 1, 2, 3 … in order (0 when they do not).
pub fn run_length(blocks: &[Block]) -> usize {
    let mut expected = 1;
    for block in blocks {
        match block {
            Block::Paragraph(p) if !p.no_indent && label(p).map(|(n, _)| n) == Some(expected) => {
                expected += 1;
            }
            _ => break,
        }
    }
    match expected > 2 {
        true => (expected - 1) as usize,
        false => 0,
    }
}

/// `p`'s inlines without the label.
pub fn without_label(p: &Paragraph) -> Vec<Inline> {
    let mut inlines = p.inlines.clone();
    if let (Some((_, len)), Some(Inline::Text(span))) = (label(p), inlines.first_mut()) {
        span.text.drain(..len);
    }
    inlines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Span;

    fn para(text: &str) -> Block {
        Block::Paragraph(Paragraph {
            inlines: vec![Inline::Text(Span::plain(text))],
            ..Paragraph::default()
        })
    }

    #[test]
    fn numerals_up_to_ninety_nine() {
        let n = |s: &str| parse(s);
        assert_eq!(n("一"), Some(1));
        assert_eq!(n("十"), Some(10));
        assert_eq!(n("十二"), Some(12));
        assert_eq!(n("二十"), Some(20));
        assert_eq!(n("九十九"), Some(99));
        assert_eq!(n("〇"), None);
        assert_eq!(n("一十"), None);
        assert_eq!(n("我公司"), None);
    }

    #[test]
    fn a_run_needs_two_points_in_order() {
        let blocks = [
            para("一、遵守。"),
            para("二、接受。"),
            para("三、保证。"),
            para("如违反"),
        ];
        assert_eq!(run_length(&blocks), 3);
        assert_eq!(run_length(&[para("一、只有一项。"), para("如违反")]), 0);
        assert_eq!(run_length(&[para("二、从二开始。"), para("三、")]), 0);
        let Block::Paragraph(p) = &blocks[1] else {
            unreachable!()
        };
        assert_eq!(without_label(p), vec![Inline::Text(Span::plain("接受。"))]);
    }
}
