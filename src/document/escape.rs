//! Turns a data string (company name, note, address…) into document markup that reads back as
//! exactly that text, never as markup. Hand-written because the rule is ours: CommonMark
//! allows a backslash before any ASCII punctuation, so escaping all of it is simple and
//! provably complete (no `*`, `_`, `#`, `|`, `<`, `&`, `[`, `` ` `` … can act), including
//! a `|` inside a table cell. The backslash itself is the one exception (see below).

/// Escapes `s` for use anywhere ordinary paragraph or table-cell text may stand.
///
/// - every ASCII punctuation character gets a backslash before it, except the backslash,
///   which becomes `&#92;`;
/// - control characters (newline, tab, …) and Unicode line/paragraph separators become a
///   space, so data can neither end a line, a table row, nor start a new block;
/// - runs of ASCII spaces collapse to one, so data can never indent a line into a code
///   block or end one with the two spaces of a hard break.
///
/// Other characters (CJK, full-width forms, U+3000, NBSP…) pass through unchanged.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    let mut after_space = false;
    for c in s.chars() {
        let c = if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
            ' '
        } else {
            c
        };
        if c == ' ' {
            if !after_space {
                out.push(' ');
            }
            after_space = true;
            continue;
        }
        after_space = false;
        if c == '\\' {
            // A numeric reference, not `\\`: a backslash-escaped backslash right before a
            // template's `|` would read as `\|`, which GFM tables take as an escaped pipe.
            out.push_str("&#92;");
            continue;
        }
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_gets_a_backslash() {
        assert_eq!(escape_text("a*b_c"), "a\\*b\\_c");
        assert_eq!(escape_text("<en>&amp;"), "\\<en\\>\\&amp\\;");
        assert_eq!(escape_text("1. | #"), "1\\. \\| \\#");
        assert_eq!(escape_text("a\\b"), "a&#92;b");
    }

    #[test]
    fn controls_become_single_spaces() {
        assert_eq!(escape_text("a\n\n\tb    c"), "a b c");
        assert_eq!(escape_text("    code"), " code");
        assert_eq!(escape_text("x\u{2028}y"), "x y");
    }

    #[test]
    fn cjk_and_full_width_pass_through() {
        assert_eq!(
            escape_text("北京（中关村）＃１　号"),
            "北京（中关村）＃１　号"
        );
    }

    use crate::document::{parse, Block, Cell, DocumentKind, Inline, Paragraph, Span};
    use proptest::prelude::*;

    /// What the round trip promises: controls and line separators → space, runs of ASCII
    /// spaces → one, and no space at either end. Nothing else changes.
    fn normalise(s: &str) -> String {
        let spaced: String = s
            .chars()
            .map(|c| {
                if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        spaced
            .split(' ')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn expected_inlines(s: &str) -> Vec<Inline> {
        let text = normalise(s);
        match text.is_empty() {
            true => Vec::new(),
            false => vec![Inline::Text(Span::plain(text))],
        }
    }

    const OTHER_CHARS: [char; 8] = ['\u{A0}', 'é', 'ü', '\t', '\n', '\r', '\u{2028}', '\u{7F}'];

    /// Printable ASCII (all the punctuation), CJK ideographs and punctuation, full-width
    /// forms, U+3000, NBSP, accented Latin, and the controls that data must not smuggle in.
    fn data_char() -> impl Strategy<Value = char> {
        prop_oneof![
            4 => proptest::char::range(' ', '~'),
            2 => proptest::char::range('\u{4E00}', '\u{4FFF}'),
            1 => proptest::char::range('\u{3000}', '\u{3011}'),
            1 => proptest::char::range('\u{FF01}', '\u{FF5E}'),
            1 => prop::sample::select(OTHER_CHARS.to_vec()),
        ]
    }

    fn data_string() -> impl Strategy<Value = String> {
        prop::collection::vec(data_char(), 0..40).prop_map(|v| v.into_iter().collect())
    }

    fn cell_of(src: &str) -> Option<Cell> {
        let blocks = parse(src, "t", DocumentKind::Checklist).ok()?.blocks;
        match blocks.as_slice() {
            [Block::Table(t)] if t.rows.len() == 1 && t.rows[0].len() == 2 => {
                Some(t.rows[0][0].clone())
            }
            _ => None,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn escaped_data_is_one_paragraph_of_the_same_text(s in data_string()) {
            let doc = parse(&format!("{}\n", escape_text(&s)), "t", DocumentKind::Letter).unwrap();
            let want = expected_inlines(&s);
            match want.is_empty() {
                true => prop_assert_eq!(doc.blocks, vec![]),
                false => prop_assert_eq!(
                    doc.blocks,
                    vec![Block::Paragraph(Paragraph { inlines: want, ..Paragraph::default() })]
                ),
            }
        }

        #[test]
        fn escaped_data_is_the_same_text_inside_a_table_cell(s in data_string()) {
            // Tight pipes on purpose: data ending in a backslash must not escape the `|`.
            let src = format!("| a | b |\n|---|---|\n|{}|x|\n", escape_text(&s));
            let cell = cell_of(&src);
            prop_assert_eq!(cell, Some(Cell { inlines: expected_inlines(&s) }), "source {:?}", src);
        }

        #[test]
        fn escaped_data_stays_text_between_markup(s in data_string()) {
            let src = format!("**粗**{}<en>x</en>\n", escape_text(&s));
            let doc = parse(&src, "t", DocumentKind::Letter).unwrap();
            prop_assert!(doc.plain_text().contains(normalise(&s).trim()), "source {:?}", src);
        }
    }
}
