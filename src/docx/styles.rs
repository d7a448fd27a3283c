//! Turns the layout [`Style`] of each document kind into Word paragraph and character styles,
//! so that a clerk restyles a whole letter by changing one style (Word's "Modify Style")
//! instead of every paragraph: sizes, line pitch, indents and fonts live here, the document
//! body only names styles.

use docx_rs::{
    AlignmentType, LineSpacing, LineSpacingType, RunFonts, SpecialIndentType, Style as WordStyle,
    StyleType, Styles,
};

use crate::document::DocumentKind;
use crate::layout::style::TextStyle;
use crate::layout::Style;
use crate::stylesheet::Styles as KindStyles;
use crate::units::{Pt, Rgb};

/// Font names as Chinese offices have them installed (Windows and WPS ship these); Word
/// substitutes by the east-Asian charset when one is missing, LibreOffice by fontconfig.
pub const BODY_FONT_LETTER: &str = "仿宋";
pub const BODY_FONT_CHECKLIST: &str = "宋体";
pub const HEADING_FONT: &str = "黑体";
/// The face the PDF is set in; named as the Latin face so a machine without the Chinese
/// office fonts still finds one face that covers both scripts.
pub const FALLBACK_FONT: &str = "Noto Serif SC";
/// Check boxes (☑ ☐ ☒) are in no Chinese office font.
pub const SYMBOL_FONT: &str = "Segoe UI Symbol";

/// The style ids of one document kind (checklist or letter).
#[derive(Debug, Clone, Copy)]
pub struct Ids {
    pub body: &'static str,
    /// Body without first-line indent (addressee lines, lists of facts, list items).
    pub plain: &'static str,
    /// A paragraph all in English (the letter's reference translation).
    pub translation: &'static str,
    /// The same without first-line indent (a list item of the translation).
    pub translation_plain: &'static str,
    pub headings: [&'static str; 3],
    /// Character style of English (secondary) spans.
    pub english: &'static str,
    pub table: &'static str,
    pub table_header: &'static str,
    pub table_english: &'static str,
    pub signature: &'static str,
}

pub const CHECKLIST: Ids = Ids {
    body: "ChecklistBody",
    plain: "ChecklistPlain",
    translation: "ChecklistTranslation",
    translation_plain: "ChecklistTranslationPlain",
    headings: ["Heading1", "Heading2", "Heading3"],
    english: "ChecklistEnglish",
    table: "ChecklistTable",
    table_header: "ChecklistTableHeader",
    table_english: "ChecklistTableEnglish",
    signature: "ChecklistSignature",
};

pub const LETTER: Ids = Ids {
    body: "LetterBody",
    plain: "LetterPlain",
    translation: "LetterTranslation",
    translation_plain: "LetterTranslationPlain",
    headings: ["LetterTitle", "LetterHeading2", "LetterHeading3"],
    english: "LetterEnglish",
    table: "LetterTable",
    table_header: "LetterTableHeader",
    table_english: "LetterTableEnglish",
    signature: "Signature",
};

pub const HEADER: &str = "Header";
pub const FOOTER: &str = "Footer";
pub const CHECKBOX: &str = "CheckBox";

pub fn ids(kind: DocumentKind) -> Ids {
    match kind {
        DocumentKind::Checklist => CHECKLIST,
        DocumentKind::Letter => LETTER,
    }
}

/// Every style the renderer names, for both kinds.
pub fn word_styles(styles: &KindStyles) -> Styles {
    let mut out = Styles::new().default_fonts(fonts(BODY_FONT_CHECKLIST));
    for kind in [DocumentKind::Checklist, DocumentKind::Letter] {
        for style in kind_styles(kind, &styles.for_kind(kind)) {
            out = out.add_style(style);
        }
    }
    let furniture = &styles.checklist.furniture.text;
    let small = |id: &str, name: &str| {
        sized(paragraph(id, name), furniture)
            .line_spacing(pitch(furniture.size.0 * furniture.leading, 0.0))
    };
    out.add_style(small(HEADER, "header"))
        .add_style(small(FOOTER, "footer").align(AlignmentType::Center))
        .add_style(
            WordStyle::new(CHECKBOX, StyleType::Character)
                .name("Check Box")
                .fonts(symbol_fonts()),
        )
}

/// The paragraph and character styles of one kind.
fn kind_styles(kind: DocumentKind, style: &Style) -> Vec<WordStyle> {
    let ids = ids(kind);
    let font = match kind {
        DocumentKind::Checklist => BODY_FONT_CHECKLIST,
        DocumentKind::Letter => BODY_FONT_LETTER,
    };
    let (name, lower) = match kind {
        DocumentKind::Checklist => ("Checklist", "checklist"),
        DocumentKind::Letter => ("Letter", "letter"),
    };
    let body_pitch = style.body.size.0 * style.body.leading;
    let space = style.paragraph_space.0;
    // The plain style carries everything but the indent, and the body adds only the indent:
    // a list item (plain) then has no `firstLineChars` to fight its numbering's hanging indent.
    let plain = sized(
        paragraph(ids.plain, &format!("{name} Body (no indent)")),
        &style.body,
    )
    .fonts(fonts(font))
    .align(AlignmentType::Both)
    .line_spacing(pitch(body_pitch, space));
    let mut body = paragraph(ids.body, &format!("{name} Body")).based_on(ids.plain);
    if let Some((first_line, _)) = first_line_indent(style) {
        body = body.indent(
            None,
            Some(SpecialIndentType::FirstLine(first_line)),
            None,
            None,
        );
    }
    let secondary_pitch = pitch(style.secondary.size.0 * style.secondary.leading, space);
    let translation = sized(
        paragraph(ids.translation, &format!("{name} Translation")).based_on(ids.body),
        &style.secondary,
    )
    .line_spacing(secondary_pitch.clone());
    let translation_plain = sized(
        paragraph(
            ids.translation_plain,
            &format!("{name} Translation (no indent)"),
        )
        .based_on(ids.plain),
        &style.secondary,
    )
    .line_spacing(secondary_pitch);
    let english = sized(
        WordStyle::new(ids.english, StyleType::Character).name(format!("{name} English")),
        &style.secondary,
    );
    let mut out = vec![plain, body, translation, translation_plain, english];
    out.extend(heading_styles(kind, style));
    out.extend(table_styles(&ids, name, font, style));
    let signature = paragraph(ids.signature, &format!("Signature ({lower})"))
        .based_on(ids.plain)
        .align(AlignmentType::Right)
        .line_spacing(pitch(body_pitch, 0.0).before(twips(style.signature_space_before.0)));
    out.push(signature);
    out
}

/// The body's first-line indent as twips and as hundredths of a character. Word and WPS
/// follow the characters (the indent stays two characters when a clerk changes the size);
/// docx-rs writes only the twips, so `package` adds the characters to the style.
pub fn first_line_indent(style: &Style) -> Option<(i32, i32)> {
    let chars = (style.first_line_indent * 100.0).round() as i32;
    let twips = twips(style.first_line_indent * style.body.size.0) as i32;
    (chars > 0).then_some((twips, chars))
}

/// Heading 1–3: the built-in names for checklists (Word's navigation pane and heading
/// numbering know them), letter titles based on them with the letter sizes.
fn heading_styles(kind: DocumentKind, style: &Style) -> Vec<WordStyle> {
    let ids = ids(kind);
    (0..3)
        .map(|level| {
            let h = &style.headings[level];
            let mut s = match kind {
                DocumentKind::Checklist => {
                    paragraph(ids.headings[level], &format!("heading {}", level + 1))
                }
                DocumentKind::Letter => paragraph(ids.headings[level], &letter_heading_name(level))
                    .based_on(CHECKLIST.headings[level]),
            };
            s = sized(s, &h.text)
                .fonts(fonts(HEADING_FONT))
                .outline_lvl(level)
                .line_spacing(
                    pitch(h.text.size.0 * h.text.leading, h.space_after.0)
                        .before(twips(h.space_before.0)),
                )
                .align(match h.centered {
                    true => AlignmentType::Center,
                    false => AlignmentType::Left,
                });
            s.next(ids.body)
        })
        .collect()
}

fn letter_heading_name(level: usize) -> String {
    match level {
        0 => "Letter Title".into(),
        n => format!("Letter Heading {}", n + 1),
    }
}

fn table_styles(ids: &Ids, name: &str, font: &str, style: &Style) -> Vec<WordStyle> {
    let t = &style.table;
    let table = sized(paragraph(ids.table, &format!("{name} Table Text")), &t.text)
        .fonts(fonts(font))
        .line_spacing(pitch(t.text.size.0 * t.text.leading, 0.0));
    let header = paragraph(ids.table_header, &format!("{name} Table Header"))
        .based_on(ids.table)
        .bold()
        .fonts(fonts(HEADING_FONT));
    let english = sized(
        WordStyle::new(ids.table_english, StyleType::Character)
            .name(format!("{name} Table English")),
        &t.secondary,
    );
    vec![table, header, english]
}

fn paragraph(id: &str, name: &str) -> WordStyle {
    WordStyle::new(id, StyleType::Paragraph)
        .name(name)
        .q_format(true)
}

/// Size, colour and weight of `text` on `style`.
fn sized(style: WordStyle, text: &TextStyle) -> WordStyle {
    let style = style.size(half_points(text.size)).color(hex(text.color));
    match text.bold {
        true => style.bold(),
        false => style,
    }
}

/// The east-Asian face `east_asia` with the PDF's face for Latin text.
pub fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(FALLBACK_FONT)
        .hi_ansi(FALLBACK_FONT)
        .cs(FALLBACK_FONT)
}

fn symbol_fonts() -> RunFonts {
    RunFonts::new()
        .ascii(SYMBOL_FONT)
        .hi_ansi(SYMBOL_FONT)
        .east_asia(SYMBOL_FONT)
        .cs(SYMBOL_FONT)
}

/// At least `line` points from baseline to baseline (a larger run grows its line rather than
/// being clipped, as "exactly" would), `after` points after the paragraph.
fn pitch(line: f32, after: f32) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::AtLeast)
        .line(twips(line) as i32)
        .after(twips(after))
}

/// Points to twentieths of a point, Word's unit for lengths.
pub fn twips(pt: f32) -> u32 {
    (pt * 20.0).round().max(0.0) as u32
}

/// Points to half-points, Word's unit for type sizes.
pub fn half_points(size: Pt) -> usize {
    (size.0 * 2.0).round().max(1.0) as usize
}

pub fn hex(c: Rgb) -> String {
    format!("{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use docx_rs::BuildXML;

    #[test]
    fn units_are_words() {
        assert_eq!(twips(28.9), 578);
        assert_eq!(half_points(Pt(10.5)), 21);
        assert_eq!(hex(Rgb::DARK_GREY), "555555");
    }

    #[test]
    fn letter_body_has_two_character_indent_and_the_letter_pitch() {
        let xml = String::from_utf8(word_styles(&KindStyles::default()).build()).unwrap();
        let style = |id: &str| {
            let at = xml.find(&format!("w:styleId=\"{id}\"")).unwrap();
            let rest = &xml[at..];
            rest[..rest.find("</w:style>").unwrap()].to_string()
        };
        let body = style("LetterBody");
        assert!(body.contains("w:firstLine=\"640\""), "{body}");
        assert!(body.contains("<w:basedOn w:val=\"LetterPlain\""), "{body}");
        let plain = style("LetterPlain");
        assert!(plain.contains("w:line=\"578\""), "{plain}");
        assert!(plain.contains("w:eastAsia=\"仿宋\""), "{plain}");
        assert!(plain.contains("<w:sz w:val=\"32\""), "{plain}");
        assert!(!plain.contains("<w:ind"), "{plain}");
        let h1 = &xml[xml.find("w:styleId=\"Heading1\"").unwrap()..];
        assert!(h1.contains("<w:name w:val=\"heading 1\""));
        assert!(h1.contains("<w:outlineLvl w:val=\"0\""));
    }
}
