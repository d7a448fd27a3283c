//! Turns a data string (company name, note, address…) into document markup that reads back as
//! exactly that text, never as markup. Hand-written because the rule is ours: CommonMark
//! allows a backslash before any ASCII punctuation, so escaping all of it is simple and
//! provably complete (no `*`, `_`, `#`, `|`, `<`, `&`, `[`, `` ` `` … can act), including
//! a `|` inside a table cell.

/// Escapes `s` for use anywhere ordinary paragraph or table-cell text may stand.
///
/// - every ASCII punctuation character gets a backslash before it;
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
        let c = if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') { ' ' } else { c };
        if c == ' ' {
            if !after_space {
                out.push(' ');
            }
            after_space = true;
            continue;
        }
        after_space = false;
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
        assert_eq!(escape_text("\\"), "\\\\");
    }

    #[test]
    fn controls_become_single_spaces() {
        assert_eq!(escape_text("a\n\n\tb    c"), "a b c");
        assert_eq!(escape_text("    code"), " code");
        assert_eq!(escape_text("x\u{2028}y"), "x y");
    }

    #[test]
    fn cjk_and_full_width_pass_through() {
        assert_eq!(escape_text("北京（中关村）＃１　号"), "北京（中关村）＃１　号");
    }
}
