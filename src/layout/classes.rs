//! Turns characters into the classes the Chinese typesetting rules talk about (ideograph,
//! Latin, no-start, no-end, …). Hand-written because UAX #14 classes do not match GB/T 15834
//! (see `typography-reference.md` §1.3 and §2.2); these sets are that document's tables.

/// The placeholder character a check box occupies in a paragraph's text (U+FFFC, OBJECT
/// REPLACEMENT CHARACTER); it is measured and broken like a character but never drawn as text.
pub const OBJECT: char = '\u{FFFC}';

/// Han ideographs, kana and hangul: the characters that take a CJK–Latin gap and are
/// justified by inter-character spacing.
pub fn is_ideograph(ch: char) -> bool {
    matches!(ch as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// Characters drawn in a full-width (one em) box: ideographs, CJK punctuation, full-width forms.
pub fn is_wide(ch: char) -> bool {
    is_ideograph(ch)
        || matches!(ch as u32, 0x3000..=0x303F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
        || matches!(ch, '“' | '”' | '‘' | '’' | '—' | '…' | '·' | OBJECT)
}

/// Latin, Greek and Cyrillic letters, ASCII digits and `# $ % &`: the side of a CJK–Latin gap.
pub fn is_latin_or_digit(ch: char) -> bool {
    ch.is_ascii_alphanumeric()
        || matches!(ch, '#' | '$' | '%' | '&')
        // The range first: `is_alphabetic` is a table search, and most text here is CJK.
        || (matches!(ch as u32, 0x00C0..=0x024F | 0x0370..=0x04FF) && ch.is_alphabetic())
}

/// 行首禁则 (GB-style level): characters that must not start a line.
pub fn no_start(ch: char) -> bool {
    matches!(
        ch,
        '。' | '．'
            | '，'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '‼'
            | '⁇'
            | '⁈'
            | '⁉'
            | '）'
            | '］'
            | '｝'
            | '〕'
            | '〗'
            | '〙'
            | '〛'
            | '》'
            | '」'
            | '』'
            | '】'
            | '〉'
            | '”'
            | '’'
            | '〞'
            | '〟'
            | '…'
            | '‥'
            | '⋯'
            | '·'
            | '・'
            | '‧'
            | '～'
            | '〜'
            | '‐'
            | '–'
            | '%'
            | '％'
            | '‰'
            | '℃'
            | '°'
            | '′'
            | '″'
            | '々'
            | '〃'
            | '.'
            | ','
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
            | ']'
            | '}'
            | '/'
            | '／'
    )
}

/// 行尾禁则 (GB-style level): characters that must not end a line.
pub fn no_end(ch: char) -> bool {
    matches!(
        ch,
        '（' | '［'
            | '｛'
            | '〔'
            | '〖'
            | '〘'
            | '〚'
            | '《'
            | '「'
            | '『'
            | '【'
            | '〈'
            | '“'
            | '‘'
            | '〝'
            | '('
            | '['
            | '{'
            | '/'
            | '／'
            | '·'
            | '・'
            | '‧'
            | '￥'
            | '¥'
            | '$'
            | '＄'
            | '£'
            | '￡'
            | '€'
            | '№'
            | OBJECT
    )
}

/// Which half of its one-em box a full-width mark leaves blank, the half that punctuation
/// compression (标点挤压, clreq §3.1.6) may take away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blank {
    /// Opening brackets and quotes: the ink sits in the right half.
    Left,
    /// Closing brackets and quotes, pause and stop marks (GB style: ink in the left half).
    Right,
}

/// The blank half of a full-width punctuation mark; `None` for every other character.
pub fn blank_half(ch: char) -> Option<Blank> {
    match ch {
        '（' | '［' | '｛' | '〔' | '〖' | '〘' | '〚' | '《' | '「' | '『' | '【' | '〈' | '“'
        | '‘' => Some(Blank::Left),
        '，' | '。' | '、' | '：' | '；' | '！' | '？' | '）' | '］' | '｝' | '〕' | '〗'
        | '〙' | '〛' | '》' | '」' | '』' | '】' | '〉' | '”' | '’' => {
            Some(Blank::Right)
        }
        _ => None,
    }
}

/// Marks that come in unsplittable pairs (`——`, `……`).
pub fn is_paired_mark(ch: char) -> bool {
    matches!(ch, '—' | '…' | '⋯')
}

/// Full-width digits and letters, which UAX #14 would break between.
pub fn is_fullwidth_alnum(ch: char) -> bool {
    matches!(ch as u32, 0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_match_the_spec_tables() {
        assert!(is_ideograph('中') && !is_ideograph('A') && !is_ideograph('，'));
        assert!(is_wide('，') && is_wide('“') && !is_wide('a'));
        assert!(is_latin_or_digit('7') && is_latin_or_digit('é') && !is_latin_or_digit('中'));
        assert!(no_start('，') && no_start('”') && !no_start('中') && !no_start('“'));
        assert!(no_end('（') && no_end('“') && !no_end('。'));
        assert_eq!(blank_half('（'), Some(Blank::Left));
        assert_eq!(blank_half('。'), Some(Blank::Right));
        assert_eq!(blank_half('中'), None);
    }
}
