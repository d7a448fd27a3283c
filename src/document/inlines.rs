//! Turns the inline events of one paragraph, heading or table cell into normalised
//! [`Inline`]s. Hand-written because two rules are ours, not CommonMark's: a soft line break
//! next to a CJK character joins with nothing (Chinese has no spaces between words), and runs
//! of ASCII whitespace collapse to one space and are trimmed at line ends, as in HTML.

use super::{CheckState, Inline, Span};

/// One inline event, before soft breaks and whitespace are resolved.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Piece {
    Text(Span),
    SoftBreak,
    LineBreak,
    Check(CheckState),
}

/// The inline content being collected, with the styles currently open.
#[derive(Debug, Default)]
pub(super) struct Run {
    pieces: Vec<Piece>,
    /// Depth of `**strong**` (nested strong stays bold).
    bold: usize,
    /// Byte offsets of the `<en>` tags not yet closed, innermost last.
    pub en_open: Vec<usize>,
    /// Set by an enclosing `<div class="en">`.
    secondary: bool,
}

impl Run {
    pub fn new(secondary: bool) -> Self {
        Run {
            secondary,
            ..Run::default()
        }
    }

    pub fn set_bold(&mut self, on: bool) {
        match on {
            true => self.bold += 1,
            false => self.bold = self.bold.saturating_sub(1),
        }
    }

    pub fn push_text(&mut self, text: &str) {
        let span = Span {
            text: text.to_string(),
            bold: self.bold > 0,
            secondary: self.secondary || !self.en_open.is_empty(),
        };
        self.pieces.push(Piece::Text(span));
    }

    pub fn push(&mut self, piece: Piece) {
        self.pieces.push(piece);
    }

    /// The finished inlines: soft breaks resolved, whitespace collapsed, equal styles merged.
    pub fn into_inlines(self) -> Vec<Inline> {
        merge_spans(collapse_whitespace(resolve_soft_breaks(self.pieces)))
    }
}

/// Soft break → "" when a CJK character is on either side, else " " (later collapsed) in the
/// style of the text before it.
fn resolve_soft_breaks(pieces: Vec<Piece>) -> Vec<Inline> {
    let mut out = Vec::with_capacity(pieces.len());
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Text(span) => out.push(Inline::Text(span.clone())),
            Piece::LineBreak => out.push(Inline::LineBreak),
            Piece::Check(state) => out.push(Inline::CheckBox(*state)),
            Piece::SoftBreak => {
                let before = i.checked_sub(1).and_then(|j| text_of(&pieces[j]));
                let after = pieces.get(i + 1).and_then(text_of);
                let cjk_before = before
                    .and_then(|s| s.text.chars().next_back())
                    .is_some_and(is_cjk);
                let cjk_after = after
                    .and_then(|s| s.text.chars().next())
                    .is_some_and(is_cjk);
                if !cjk_before && !cjk_after {
                    let style = before.or(after).cloned().unwrap_or_default();
                    out.push(Inline::Text(Span {
                        text: " ".into(),
                        ..style
                    }));
                }
            }
        }
    }
    out
}

fn text_of(piece: &Piece) -> Option<&Span> {
    match piece {
        Piece::Text(span) => Some(span),
        _ => None,
    }
}

/// Ideographs, kana, hangul, CJK and full-width punctuation: characters written without
/// spaces between them, so a line break next to one is not a word gap.
pub(super) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x303F     // radicals, ideographic description, CJK symbols and punctuation
        | 0x3040..=0x9FFF   // kana, bopomofo, hangul jamo compat, CJK ext A, unified ideographs
        | 0xAC00..=0xD7AF   // hangul syllables
        | 0xF900..=0xFAFF   // compatibility ideographs
        | 0xFE30..=0xFE4F   // CJK compatibility forms
        | 0xFF00..=0xFFEF   // half-width and full-width forms
        | 0x20000..=0x3FFFF // ideograph extensions B and beyond
    )
}

/// The whitespace the markup collapses; U+3000 and NBSP are content (deliberate spacing).
fn is_collapsible(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Runs of whitespace → one space, kept in the span where the run began; none at the start
/// or end of a line (paragraph edges and forced line breaks).
fn collapse_whitespace(items: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(items.len());
    let mut pending_space_in: Option<usize> = None;
    let mut at_line_start = true;
    for item in items {
        match item {
            Inline::Text(span) => {
                let idx = out.len();
                out.push(Inline::Text(Span {
                    text: String::new(),
                    ..span.clone()
                }));
                for c in span.text.chars() {
                    if is_collapsible(c) {
                        if !at_line_start && pending_space_in.is_none() {
                            pending_space_in = Some(idx);
                        }
                        continue;
                    }
                    if let Some(at) = pending_space_in.take() {
                        push_char(&mut out[at], ' ');
                    }
                    push_char(&mut out[idx], c);
                    at_line_start = false;
                }
            }
            Inline::LineBreak => {
                pending_space_in = None;
                at_line_start = true;
                out.push(item);
            }
            Inline::CheckBox(_) => {
                if let Some(at) = pending_space_in.take() {
                    push_char(&mut out[at], ' ');
                }
                at_line_start = false;
                out.push(item);
            }
        }
    }
    out.retain(|i| !matches!(i, Inline::Text(s) if s.text.is_empty()));
    out
}

fn push_char(item: &mut Inline, c: char) {
    if let Inline::Text(span) = item {
        span.text.push(c);
    }
}

/// Adjacent spans of the same style become one (pulldown-cmark splits text at escapes).
fn merge_spans(items: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(items.len());
    for item in items {
        match (out.last_mut(), item) {
            (Some(Inline::Text(prev)), Inline::Text(span))
                if prev.bold == span.bold && prev.secondary == span.secondary =>
            {
                prev.text.push_str(&span.text);
            }
            (_, item) => out.push(item),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(run: &mut Run, s: &str) {
        run.push_text(s);
    }

    #[test]
    fn soft_break_between_cjk_joins_without_space() {
        let mut run = Run::new(false);
        text(&mut run, "北京");
        run.push(Piece::SoftBreak);
        text(&mut run, "公司，");
        run.push(Piece::SoftBreak);
        text(&mut run, "Beijing");
        run.push(Piece::SoftBreak);
        text(&mut run, "Company");
        assert_eq!(
            run.into_inlines(),
            vec![Inline::Text(Span::plain("北京公司，Beijing Company"))]
        );
    }

    #[test]
    fn whitespace_collapses_and_is_trimmed_at_line_edges() {
        let mut run = Run::new(false);
        text(&mut run, "  a \t  b  ");
        run.push(Piece::LineBreak);
        text(&mut run, "   c\u{3000}d   ");
        let want = vec![
            Inline::Text(Span::plain("a b")),
            Inline::LineBreak,
            Inline::Text(Span::plain("c\u{3000}d")),
        ];
        assert_eq!(run.into_inlines(), want);
    }

    #[test]
    fn space_stays_in_the_span_where_it_began() {
        let mut run = Run::new(false);
        text(&mut run, "中文 ");
        run.en_open.push(0);
        text(&mut run, " English");
        let english = Span {
            text: "English".into(),
            secondary: true,
            ..Span::default()
        };
        assert_eq!(
            run.into_inlines(),
            vec![Inline::Text(Span::plain("中文 ")), Inline::Text(english)]
        );
    }

    #[test]
    fn styles_split_spans_and_equal_styles_merge() {
        let mut run = Run::new(true);
        text(&mut run, "a");
        text(&mut run, "*b");
        run.set_bold(true);
        text(&mut run, "c");
        run.set_bold(false);
        run.push(Piece::Check(CheckState::Ready));
        let ab = Span {
            text: "a*b".into(),
            secondary: true,
            bold: false,
        };
        let c = Span {
            text: "c".into(),
            secondary: true,
            bold: true,
        };
        let want = vec![
            Inline::Text(ab),
            Inline::Text(c),
            Inline::CheckBox(CheckState::Ready),
        ];
        assert_eq!(run.into_inlines(), want);
    }

    #[test]
    fn cjk_classification() {
        assert!(is_cjk('中') && is_cjk('，') && is_cjk('。') && is_cjk('Ａ') && is_cjk('𠀀'));
        assert!(!is_cjk('a') && !is_cjk('“') && !is_cjk('é'));
    }
}
