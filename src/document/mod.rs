//! Turns rendered template text into a typed [`Document`]: blocks and inlines with styles,
//! before any decision about where they go on a page. See `templates/README.md` for the
//! markup (Markdown plus a few extensions); [`parse`] is the only way text becomes a document.

mod escape;
mod frames;
mod inlines;
mod parse;
mod tags;
#[cfg(test)]
mod tests;

pub use escape::escape_text;
pub use parse::{parse, ParseError};

use chrono::NaiveDate;

/// Everything one PDF file holds: several documents (checklist, letters) and the metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct Packet {
    pub meta: PacketMeta,
    pub documents: Vec<Document>,
}

/// PDF metadata and running-header text for a packet.
#[derive(Debug, Clone, PartialEq)]
pub struct PacketMeta {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: Vec<String>,
    /// BCP 47, `zh-CN` for bilingual and Chinese packets, `en` for English-only ones.
    pub lang: String,
    /// Fixes the PDF creation date so that output is reproducible.
    pub date: NaiveDate,
    /// Text at the top of every page (left side), e.g. the company name.
    pub header: String,
    /// Whether page footers are bilingual ("第 N 页 共 M 页 / Page N of M"), Chinese or English.
    pub footer_lang: FooterLang,
    /// The agency's branding on every page; `None` prints none.
    pub brand: Option<Brand>,
}

/// An agency's marks on every page: logo in the header, a line of text above the page
/// number, the header rule in its accent colour.
#[derive(Debug, Clone, PartialEq)]
pub struct Brand {
    /// Agency name(s) and contact, already in the packet's languages.
    pub line: String,
    pub logo: Option<std::sync::Arc<crate::image::Image>>,
    pub accent: Option<crate::units::Rgb>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FooterLang {
    Bilingual,
    Zh,
    En,
}

/// One document of a packet: gets one bookmark and starts on a new page.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Bookmark title.
    pub title: String,
    pub kind: DocumentKind,
    pub blocks: Vec<Block>,
}

/// Selects the layout preset: compact for checklists, GB/T 9704-like for formal letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    Checklist,
    Letter,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Level 1 is a document title, 2 a section, 3 a subsection.
    Heading {
        level: u8,
        inlines: Vec<Inline>,
    },
    Paragraph(Paragraph),
    List(List),
    Table(Table),
    /// Right-hand signature block of a letter; the layout keeps a clear seal square beside it.
    Signature(Vec<Paragraph>),
    PageBreak,
    /// A thin horizontal rule.
    Rule,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Paragraph {
    pub inlines: Vec<Inline>,
    /// `None`: the preset's default (justified, first-line indent in letters).
    pub align: Option<Align>,
    /// Suppresses the first-line indent a letter body would get (addressee line, lists of facts).
    pub no_indent: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
    Justify,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(Span),
    /// A forced line break inside a paragraph or cell.
    LineBreak,
    /// A check box drawn as vector graphics, never as a font glyph.
    CheckBox(CheckState),
}

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Span {
    pub text: String,
    pub bold: bool,
    /// Secondary (English) text: smaller and dark grey, beneath the Chinese.
    pub secondary: bool,
}

impl Span {
    pub fn plain(text: impl Into<String>) -> Self {
        Span {
            text: text.into(),
            ..Span::default()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckState {
    /// Ticked box.
    Ready,
    /// Empty box.
    Missing,
    /// Box with a diagonal stroke.
    NotApplicable,
    /// Empty box, status not recorded.
    Open,
}

#[derive(Debug, Clone, PartialEq)]
pub struct List {
    /// `Some(start)` for numbered lists.
    pub ordered: Option<u64>,
    pub items: Vec<Vec<Block>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub header: Vec<Cell>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub align: Align,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    pub inlines: Vec<Inline>,
}

impl Document {
    /// All text of the document in reading order (for tests and coverage checks).
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        for block in &self.blocks {
            block_text(block, &mut out);
        }
        out
    }
}

fn block_text(block: &Block, out: &mut String) {
    match block {
        Block::Heading { inlines, .. } => inline_text(inlines, out),
        Block::Paragraph(p) => inline_text(&p.inlines, out),
        Block::List(l) => l.items.iter().flatten().for_each(|b| block_text(b, out)),
        Block::Table(t) => t
            .header
            .iter()
            .chain(t.rows.iter().flatten())
            .for_each(|c| inline_text(&c.inlines, out)),
        Block::Signature(ps) => ps.iter().for_each(|p| inline_text(&p.inlines, out)),
        Block::PageBreak | Block::Rule => {}
    }
}

fn inline_text(inlines: &[Inline], out: &mut String) {
    for i in inlines {
        match i {
            Inline::Text(s) => out.push_str(&s.text),
            Inline::LineBreak => out.push('\n'),
            Inline::CheckBox(_) => {}
        }
    }
    out.push('\n');
}
