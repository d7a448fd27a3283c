//! Turns inline spans into measured characters: one [`Glyph`] per character with the face
//! that covers it (`FontBook::resolve`), size, colour and advance in points. Check boxes and
//! forced breaks become placeholder characters so the line breaker sees one sequence.

use crate::document::{CheckState, Inline, Span};
use crate::fonts::{FaceId, FontBook, Weight};
use crate::units::Rgb;

use super::classes::OBJECT;
use super::linebreak::LineBreaker;
use super::style::TextStyle;
use super::LayoutError;

/// A check box is one em wide, like an ideograph, so it lines up in a column of labels.
const CHECKBOX_ADVANCE_EM: f32 = 1.0;
/// Fallback advance of a space the font lacks.
const SPACE_ADVANCE_EM: f32 = 0.25;

/// How one character is drawn and measured (lengths in points).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Glyph {
    pub face: FaceId,
    pub size: f32,
    pub color: Rgb,
    pub advance: f32,
    pub ascent: f32,
    pub descent: f32,
    /// The baseline-to-baseline distance this character asks for.
    pub pitch: f32,
    pub check: Option<CheckState>,
}

/// A paragraph's text and its glyphs (one per `char` of `text`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Shaped {
    pub text: String,
    pub glyphs: Vec<Glyph>,
    /// The number `memo::shape` gave these glyphs, while they are as it measured them.
    pub memo_id: Option<u64>,
}

/// The styles spans map to: primary text and secondary (English) text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SpanStyles {
    pub primary: TextStyle,
    pub secondary: TextStyle,
}

/// Measures `inlines`; fails on the first character no face covers.
pub(crate) fn shape(
    inlines: &[Inline],
    styles: SpanStyles,
    fonts: &FontBook,
) -> Result<Shaped, LayoutError> {
    let mut shaped = Shaped::default();
    for inline in inlines {
        match inline {
            Inline::Text(span) => shape_span(span, styles, fonts, &mut shaped)?,
            Inline::LineBreak => shaped.push('\n', placeholder(styles.primary, fonts, 0.0, None)),
            Inline::CheckBox(state) => {
                let glyph = placeholder(styles.primary, fonts, CHECKBOX_ADVANCE_EM, Some(*state));
                shaped.push(OBJECT, glyph);
            }
        }
    }
    Ok(shaped)
}

/// Measures a plain string in one style (running header, footer, list markers).
pub(crate) fn shape_str(
    text: &str,
    style: TextStyle,
    fonts: &FontBook,
) -> Result<Shaped, LayoutError> {
    let span = Span {
        text: text.to_string(),
        bold: style.bold,
        secondary: false,
    };
    shape(
        &[Inline::Text(span)],
        SpanStyles {
            primary: style,
            secondary: style,
        },
        fonts,
    )
}

impl Shaped {
    /// A line breaker over this text measured with these glyphs' advances and sizes.
    pub fn breaker(&self) -> LineBreaker<'_> {
        let mut next = 0;
        LineBreaker::with_ems(&self.text, |_, _| {
            next += 1;
            let glyph = &self.glyphs[next - 1];
            (glyph.advance, glyph.size)
        })
    }

    fn push(&mut self, ch: char, glyph: Glyph) {
        self.memo_id = None;
        self.text.push(ch);
        self.glyphs.push(glyph);
    }
}

fn shape_span(
    span: &Span,
    styles: SpanStyles,
    fonts: &FontBook,
    out: &mut Shaped,
) -> Result<(), LayoutError> {
    let style = if span.secondary {
        styles.secondary
    } else {
        styles.primary
    };
    let weight = if span.bold || style.bold {
        Weight::Bold
    } else {
        Weight::Regular
    };
    out.text.reserve(span.text.len());
    for (byte, ch) in span.text.char_indices() {
        if ch == '\n' {
            out.push(ch, placeholder(style, fonts, 0.0, None));
            continue;
        }
        let Some((face, em)) = measure(fonts, weight, ch) else {
            return Err(uncovered(&span.text, byte, ch));
        };
        out.push(ch, glyph(fonts, face, style, em, None));
    }
    Ok(())
}

/// The face and advance (em) for `ch`; whitespace a font lacks still gets a width.
fn measure(fonts: &FontBook, weight: Weight, ch: char) -> Option<(FaceId, f32)> {
    match fonts.resolve(weight, ch) {
        Some(face) => Some((face, fonts.face(face).advance(ch).unwrap_or(0.0))),
        None if ch.is_whitespace() => Some((fonts.primary(weight), SPACE_ADVANCE_EM)),
        None => None,
    }
}

fn placeholder(style: TextStyle, fonts: &FontBook, em: f32, check: Option<CheckState>) -> Glyph {
    glyph(fonts, fonts.primary(Weight::Regular), style, em, check)
}

fn glyph(
    fonts: &FontBook,
    face: FaceId,
    style: TextStyle,
    em: f32,
    check: Option<CheckState>,
) -> Glyph {
    let size = style.size.0;
    let metrics = fonts.face(face);
    Glyph {
        face,
        size,
        color: style.color,
        advance: em * size,
        ascent: metrics.ascent() * size,
        descent: metrics.descent() * size,
        pitch: style.leading * size,
        check,
    }
}

/// The error for an uncovered `ch` at `byte` of `text`, with about 20 characters around it.
fn uncovered(text: &str, byte: usize, ch: char) -> LayoutError {
    let before: Vec<char> = text[..byte].chars().rev().take(10).collect();
    let after = text[byte..].chars().take(11);
    let context = before.into_iter().rev().chain(after).collect();
    LayoutError::UncoveredChar { ch, context }
}

/// Span styles for tests: black primary text of `size`, secondary text four fifths of it.
#[cfg(test)]
pub(crate) fn test_styles(size: f32) -> SpanStyles {
    let primary = TextStyle {
        size: crate::units::Pt(size),
        leading: 1.5,
        color: Rgb::BLACK,
        bold: false,
    };
    SpanStyles {
        primary,
        secondary: TextStyle {
            size: crate::units::Pt(size * 0.8),
            ..primary
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn styles() -> SpanStyles {
        test_styles(10.0)
    }

    #[test]
    fn bold_and_secondary_spans_get_their_face_and_size() {
        let inlines = vec![
            Inline::Text(Span {
                text: "中".into(),
                bold: true,
                secondary: false,
            }),
            Inline::Text(Span {
                text: "a".into(),
                bold: false,
                secondary: true,
            }),
            Inline::CheckBox(CheckState::Ready),
        ];
        let shaped = shape(&inlines, styles(), FontBook::builtin()).unwrap();
        assert_eq!(shaped.text, "中a\u{FFFC}");
        let fonts = FontBook::builtin();
        assert_eq!(shaped.glyphs[0].face, fonts.primary(Weight::Bold));
        assert!((shaped.glyphs[0].advance - 10.0).abs() < 0.01);
        assert_eq!(shaped.glyphs[1].size, 8.0);
        assert_eq!(shaped.glyphs[2].check, Some(CheckState::Ready));
    }

    #[test]
    fn changed_glyphs_lose_their_memo_number() {
        let mut shaped = shape_str("承诺", styles().primary, FontBook::builtin()).unwrap();
        shaped.memo_id = Some(7);
        shaped.push('书', shaped.glyphs[0]);
        assert_eq!(shaped.memo_id, None);
    }

    #[test]
    fn uncovered_character_names_its_context() {
        let inlines = vec![Inline::Text(Span::plain("北京云声科技😀有限公司"))];
        let err = shape(&inlines, styles(), FontBook::builtin()).unwrap_err();
        assert_eq!(
            err,
            LayoutError::UncoveredChar {
                ch: '😀',
                context: "北京云声科技😀有限公司".into()
            }
        );
    }
}
