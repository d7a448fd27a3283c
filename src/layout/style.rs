//! Turns a [`DocumentKind`] (and, for letters, the language they are written in) into the
//! page geometry, sizes and spacings the layout uses: plain data (`style.toml` overrides any
//! of it, see `stylesheet`), with the built-in presets of `typography.md` §3–§6 written out
//! here, and one for English-only letters on the same page.

use crate::document::DocumentKind;
use crate::units::{Pt, Rgb};

/// Size, line pitch and colour of one kind of text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    pub size: Pt,
    /// Baseline-to-baseline distance as a multiple of `size`.
    pub leading: f32,
    pub color: Rgb,
    pub bold: bool,
}

/// A heading level: its text and the space around it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeadingStyle {
    pub text: TextStyle,
    pub centered: bool,
    pub space_before: Pt,
    pub space_after: Pt,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TableStyle {
    pub text: TextStyle,
    pub secondary: TextStyle,
    /// Inner space on each side of a cell.
    pub padding: Pt,
    pub rule: Pt,
    pub rule_color: Rgb,
    pub header_fill: Rgb,
}

/// Running header and footer, placed relative to the type area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FurnitureStyle {
    pub text: TextStyle,
    /// Header baseline above the type area's top.
    pub header_baseline: Pt,
    /// Header rule above the type area's top.
    pub header_rule: Pt,
    /// Footer baseline below the type area's bottom.
    pub footer_baseline: Pt,
}

/// Everything the layout needs to know about a document's look.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    pub page_width: Pt,
    pub page_height: Pt,
    pub margin_top: Pt,
    pub margin_bottom: Pt,
    pub margin_left: Pt,
    pub margin_right: Pt,
    pub body: TextStyle,
    /// English (secondary) spans in body text.
    pub secondary: TextStyle,
    /// Headings of level 1 (document title), 2 (section) and 3 (subsection).
    pub headings: [HeadingStyle; 3],
    /// First-line indent of body paragraphs, in em of the body size (0 for none).
    pub first_line_indent: f32,
    pub paragraph_space: Pt,
    /// Hanging indent of list items, in em of the body size.
    pub list_indent: f32,
    pub table: TableStyle,
    pub furniture: FurnitureStyle,
    /// Diameter of the company seal: the clear square kept beside a signature block.
    pub seal_size: Pt,
    /// Whether that place is marked with a light outlined circle (off for letterhead paper).
    pub seal_placeholder: bool,
    /// Whether each page-break-separated part of a document must fit one page.
    pub fit: Fit,
    /// The smallest body size `Fit::OnePage` may step down to.
    pub min_body_size: Pt,
    /// The step between the body sizes `Fit::OnePage` tries.
    pub fit_step: Pt,
    /// Space between the signature block's right edge and the type area's, in body em.
    pub signature_inset: f32,
    pub signature_space_before: Pt,
    pub rule: Pt,
}

/// How a document's parts are fitted to pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// The text flows onto as many pages as it needs, in the style's sizes.
    Flow,
    /// Each part (the Chinese letter, its translation) is set on one page, stepping the
    /// type size and leading down to `min_body_size` when the style's sizes need more.
    OnePage,
}

/// The language of a packet's documents, as far as their style goes: an English-only
/// packet's letters have a preset of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// Chinese or bilingual: the Chinese letter is the one signed.
    Chinese,
    /// English only (`--lang en`).
    English,
}

impl Language {
    /// The language of a packet whose metadata says `lang` (BCP 47).
    pub fn of_packet(lang: &str) -> Language {
        if lang == "en" || lang.starts_with("en-") {
            Language::English
        } else {
            Language::Chinese
        }
    }
}

/// 二号, 小二, 三号 … as points (`typography.md` §3).
pub mod sizes {
    pub const ER_HAO: f32 = 22.0;
    pub const SAN_HAO: f32 = 16.0;
    pub const SI_HAO: f32 = 14.0;
    pub const XIAO_SI: f32 = 12.0;
    pub const WU_HAO: f32 = 10.5;
    pub const XIAO_WU: f32 = 9.0;
}

/// Step between the body sizes a Chinese letter is tried at (pt): small enough that a
/// letter a line too long shrinks barely visibly.
const FIT_STEP: f32 = 0.5;

const A4_WIDTH_MM: f32 = 210.0;
/// A company's official seal (公章) is a circle of 40–42 mm; the larger one is kept clear.
const SEAL_MM: f32 = 42.0;
const A4_HEIGHT_MM: f32 = 297.0;

impl Style {
    pub fn for_kind(kind: DocumentKind) -> Style {
        match kind {
            DocumentKind::Checklist => Style::checklist(),
            DocumentKind::Letter => Style::letter(),
        }
    }

    /// The built-in style of a document of `kind` in a packet of `language`.
    pub fn for_document(kind: DocumentKind, language: Language) -> Style {
        match (kind, language) {
            (DocumentKind::Letter, Language::English) => Style::english_letter(),
            _ => Style::for_kind(kind),
        }
    }

    /// Compact A4 for tables of materials: 五号 body with 小五 grey English.
    pub fn checklist() -> Style {
        use sizes::*;
        let body = text(WU_HAO, 1.5, Rgb::BLACK, false);
        let secondary = text(XIAO_WU, 1.45, Rgb::DARK_GREY, false);
        Style {
            page_width: Pt::mm(A4_WIDTH_MM),
            page_height: Pt::mm(A4_HEIGHT_MM),
            margin_top: Pt::mm(22.0),
            margin_bottom: Pt::mm(20.0),
            margin_left: Pt::mm(20.0),
            margin_right: Pt::mm(20.0),
            body,
            secondary,
            headings: [
                heading(SAN_HAO, true, 0.0, 10.0),
                heading(XIAO_SI, false, 10.0, 4.0),
                heading(WU_HAO, false, 6.0, 2.0),
            ],
            first_line_indent: 0.0,
            paragraph_space: Pt(4.0),
            list_indent: 2.0,
            table: TableStyle {
                text: body,
                secondary,
                padding: Pt(4.0),
                rule: Pt(0.5),
                rule_color: Rgb(0x44, 0x44, 0x44),
                header_fill: Rgb(0xE8, 0xE8, 0xE8),
            },
            furniture: furniture(Pt::mm(8.0), Pt::mm(6.0), Pt::mm(9.0)),
            seal_size: Pt::mm(SEAL_MM),
            seal_placeholder: false,
            fit: Fit::Flow,
            min_body_size: Pt(WU_HAO),
            fit_step: Pt(FIT_STEP),
            signature_inset: 2.0,
            signature_space_before: Pt(18.0),
            rule: Pt(0.5),
        }
    }

    /// GB/T 9704-like letter: 三号 body on a 28.9 pt pitch, 二号 bold title, 2-em indent.
    pub fn letter() -> Style {
        use sizes::*;
        let body = text(SAN_HAO, 28.9 / SAN_HAO, Rgb::BLACK, false);
        let secondary = text(XIAO_SI, 1.5, Rgb::DARK_GREY, false);
        Style {
            page_width: Pt::mm(A4_WIDTH_MM),
            page_height: Pt::mm(A4_HEIGHT_MM),
            margin_top: Pt::mm(37.0),
            margin_bottom: Pt::mm(35.0),
            margin_left: Pt::mm(28.0),
            margin_right: Pt::mm(26.0),
            body,
            secondary,
            headings: [
                heading(ER_HAO, true, 0.0, 28.9),
                heading(SAN_HAO, false, 0.0, 0.0),
                heading(SAN_HAO, false, 0.0, 0.0),
            ],
            first_line_indent: 2.0,
            paragraph_space: Pt::ZERO,
            list_indent: 2.0,
            table: TableStyle {
                text: text(XIAO_SI, 1.5, Rgb::BLACK, false),
                secondary: text(WU_HAO, 1.45, Rgb::DARK_GREY, false),
                padding: Pt(5.0),
                rule: Pt(0.5),
                rule_color: Rgb(0x44, 0x44, 0x44),
                header_fill: Rgb(0xE8, 0xE8, 0xE8),
            },
            furniture: furniture(Pt::mm(14.0), Pt::mm(11.0), Pt::mm(11.0)),
            seal_size: Pt::mm(SEAL_MM),
            seal_placeholder: true,
            fit: Fit::OnePage,
            min_body_size: Pt(XIAO_SI),
            fit_step: Pt(FIT_STEP),
            signature_inset: 2.0,
            signature_space_before: Pt(28.9),
            rule: Pt(0.5),
        }
    }

    /// An English-only letter on the same GB/T 9704 page: Latin text runs about half again
    /// as long as the Chinese and needs no 公文 grid, so the body is 小四 on a 1.4 pitch (a
    /// book's, not the 28.9 pt 公文 line), the title 四号, and fitting steps by a quarter
    /// point down to 10 pt — where the longest built-in letter still fits.
    pub fn english_letter() -> Style {
        use sizes::*;
        let body = text(XIAO_SI, 1.4, Rgb::BLACK, false);
        let letter = Style::letter();
        Style {
            body,
            secondary: text(WU_HAO, 1.4, Rgb::DARK_GREY, false),
            headings: [
                heading(SI_HAO, true, 0.0, 14.0),
                heading(XIAO_SI, false, 6.0, 0.0),
                heading(XIAO_SI, false, 6.0, 0.0),
            ],
            first_line_indent: 0.0,
            paragraph_space: Pt(6.0),
            min_body_size: Pt(10.0),
            fit_step: Pt(0.25),
            signature_space_before: Pt(18.0),
            ..letter
        }
    }

    /// This style with the body set at `body` and every other text size, line pitch and
    /// text spacing scaled by the same factor; page, margins and the seal (a physical
    /// object) stay as they are, and so do the running header and footer.
    pub fn scaled_to(&self, body: Pt) -> Style {
        let k = body.0 / self.body.size.0;
        let mut s = self.clone();
        let scale = |t: &mut TextStyle| t.size = t.size * k;
        scale(&mut s.body);
        scale(&mut s.secondary);
        for h in &mut s.headings {
            scale(&mut h.text);
            h.space_before = h.space_before * k;
            h.space_after = h.space_after * k;
        }
        scale(&mut s.table.text);
        scale(&mut s.table.secondary);
        s.paragraph_space = s.paragraph_space * k;
        s.signature_space_before = s.signature_space_before * k;
        s
    }

    /// Width of the type area.
    pub fn measure(&self) -> Pt {
        self.page_width - self.margin_left - self.margin_right
    }

    /// Height of the type area.
    pub fn depth(&self) -> Pt {
        self.page_height - self.margin_top - self.margin_bottom
    }
}

fn text(size: f32, leading: f32, color: Rgb, bold: bool) -> TextStyle {
    TextStyle {
        size: Pt(size),
        leading,
        color,
        bold,
    }
}

fn heading(size: f32, centered: bool, before: f32, after: f32) -> HeadingStyle {
    HeadingStyle {
        text: text(size, 1.5, Rgb::BLACK, true),
        centered,
        space_before: Pt(before),
        space_after: Pt(after),
    }
}

fn furniture(header_baseline: Pt, header_rule: Pt, footer_baseline: Pt) -> FurnitureStyle {
    FurnitureStyle {
        text: text(sizes::XIAO_WU, 1.2, Rgb::DARK_GREY, false),
        header_baseline,
        header_rule,
        footer_baseline,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_type_area_is_156_by_225_mm() {
        let letter = Style::for_kind(DocumentKind::Letter);
        assert!((letter.measure().to_mm() - 156.0).abs() < 0.01);
        assert!((letter.depth().to_mm() - 225.0).abs() < 0.01);
        assert_eq!(letter.body.size, Pt(16.0));
        assert!((letter.body.size.0 * letter.body.leading - 28.9).abs() < 1e-3);
    }

    #[test]
    fn english_letters_have_their_own_pitch_and_steps_on_the_same_page() {
        let english = Style::for_document(DocumentKind::Letter, Language::of_packet("en"));
        let chinese = Style::for_document(DocumentKind::Letter, Language::of_packet("zh-CN"));
        assert_eq!(chinese, Style::letter());
        assert_eq!(english.body.size, Pt(12.0));
        assert!(english.body.size.0 * english.body.leading < 17.0);
        assert!(english.fit_step < chinese.fit_step);
        assert!(english.min_body_size < chinese.min_body_size);
        assert_eq!(
            (english.measure(), english.depth()),
            (chinese.measure(), chinese.depth())
        );
        assert_eq!(
            Style::for_document(DocumentKind::Checklist, Language::English),
            Style::checklist()
        );
    }

    #[test]
    fn checklist_is_compact_with_grey_english() {
        let checklist = Style::for_kind(DocumentKind::Checklist);
        assert_eq!(checklist.body.size, Pt(10.5));
        assert_eq!(checklist.secondary.size, Pt(9.0));
        assert_eq!(checklist.secondary.color, Rgb::DARK_GREY);
        assert!(checklist.headings[0].centered && checklist.headings[0].text.bold);
    }
}
