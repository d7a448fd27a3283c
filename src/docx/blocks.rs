//! Turns one document's blocks (headings, paragraphs, lists, signature blocks, page breaks,
//! rules) and inlines into Word paragraphs and runs that name the styles of `styles.rs`;
//! tables are in `tables.rs`. Nothing is measured: Word sets the lines.

use docx_rs::{
    AlignmentType, BreakType, IndentLevel, LineSpacing, NumberingId, Paragraph as WordParagraph,
    ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Run, Table as WordTable,
};

use crate::document::{Align, Block, CheckState, Inline, List, Paragraph};
use crate::layout::Style;

use super::enumeration;
use super::numbering::Lists;
use super::styles::{self, Ids};

/// A body element of the Word document, in order.
pub enum Part {
    Paragraph(Box<WordParagraph>),
    Table(Box<WordTable>),
}

/// What converting one document needs: its style ids and sizes, the list instances and
/// paragraph ids of the whole packet.
pub struct Context<'a> {
    pub ids: Ids,
    pub style: &'a Style,
    pub lists: &'a mut Lists,
    /// Next `w14:paraId`. docx-rs draws them from a thread-local counter, which would make
    /// the bytes depend on what the thread built before; numbering them per packet keeps
    /// them stable whatever `--jobs`.
    pub next_id: &'a mut u32,
    /// A page break waiting for the next paragraph (`page_break_before`), so no empty
    /// paragraph is left at the top of the new page.
    pub break_pending: bool,
    pub out: Vec<Part>,
}

impl Context<'_> {
    /// A new paragraph in `style_id`, with its stable id and any pending page break.
    pub fn paragraph(&mut self, style_id: &str) -> WordParagraph {
        let p = WordParagraph::new()
            .id(super::paragraph_id(self.next_id))
            .style(style_id);
        match std::mem::take(&mut self.break_pending) {
            true => p.page_break_before(true),
            false => p,
        }
    }

    fn push(&mut self, p: WordParagraph) {
        self.out.push(Part::Paragraph(Box::new(p)));
    }

    /// Emits a pending page break as a paragraph of its own (before a table, which cannot
    /// carry one).
    pub fn flush_break(&mut self) {
        if self.break_pending {
            let p = self
                .paragraph(self.ids.plain)
                .add_run(Run::new().add_break(BreakType::Page));
            self.push(p);
        }
    }
}

/// Appends the Word parts of `blocks` (nested `depth` lists deep).
pub fn blocks(blocks: &[Block], depth: usize, cx: &mut Context) {
    let mut rest = blocks;
    while let Some((block, after)) = rest.split_first() {
        let points = match depth {
            0 => enumeration::run_length(rest),
            _ => 0,
        };
        if points > 0 {
            chinese_points(&rest[..points], cx);
            rest = &rest[points..];
            continue;
        }
        rest = after;
        match block {
            Block::Heading { level, inlines } => {
                let id = cx.ids.headings[usize::from(*level).clamp(1, 3) - 1];
                let p = runs(cx.paragraph(id), inlines, cx.ids.english);
                cx.push(p);
            }
            Block::Paragraph(p) => {
                let style = paragraph_style(p, depth, &cx.ids);
                let word = aligned(cx.paragraph(style), p.align);
                let word = runs(word, &p.inlines, cx.ids.english);
                cx.push(word);
            }
            Block::List(list) => list_parts(list, depth, cx),
            Block::Table(table) => super::tables::table(table, cx),
            Block::Signature(paragraphs) => signature(paragraphs, cx),
            Block::PageBreak => cx.break_pending = true,
            Block::Rule => {
                let border = ParagraphBorder::new(ParagraphBorderPosition::Bottom)
                    .size(4)
                    .color(styles::hex(crate::units::Rgb::DARK_GREY));
                let mut p = cx.paragraph(cx.ids.plain);
                p.property = p
                    .property
                    .set_borders(ParagraphBorders::with_empty().set(border));
                cx.push(p);
            }
        }
    }
}

/// A letter's points 一、 二、 … as a Word list labelled the same way.
fn chinese_points(points: &[Block], cx: &mut Context) {
    let id = cx.lists.open_chinese();
    for block in points {
        if let Block::Paragraph(p) = block {
            let word = cx
                .paragraph(cx.ids.body)
                .numbering(NumberingId::new(id), IndentLevel::new(0));
            let word = runs(
                aligned(word, p.align),
                &enumeration::without_label(p),
                cx.ids.english,
            );
            cx.push(word);
        }
    }
}

/// Body with its first-line indent; without it when the markup says so, in lists, and for
/// a letter's reference translation (its own, smaller style).
fn paragraph_style(p: &Paragraph, depth: usize, ids: &Ids) -> &'static str {
    let plain = p.no_indent || depth > 0;
    match (all_secondary(&p.inlines), plain) {
        (true, false) => ids.translation,
        (true, true) => ids.translation_plain,
        (false, true) => ids.plain,
        (false, false) => ids.body,
    }
}

fn all_secondary(inlines: &[Inline]) -> bool {
    let mut texts = inlines.iter().filter_map(|i| match i {
        Inline::Text(s) => Some(s),
        _ => None,
    });
    texts.clone().next().is_some() && texts.all(|s| s.secondary)
}

/// Each item's first paragraph carries the number; its further blocks sit at the item's
/// indent, one list level deeper.
fn list_parts(list: &List, depth: usize, cx: &mut Context) {
    let id = cx.lists.open(list.ordered);
    let hang = cx.style.list_indent * cx.style.body.size.0;
    for item in &list.items {
        let (first, rest) = match item.split_first() {
            Some((Block::Paragraph(p), rest)) => (Some(p), rest),
            _ => (None, item.as_slice()),
        };
        let style = match first {
            Some(p) => paragraph_style(p, depth + 1, &cx.ids),
            None => cx.ids.plain,
        };
        let numbered = cx
            .paragraph(style)
            .numbering(NumberingId::new(id), IndentLevel::new(depth));
        let numbered = match first {
            Some(p) => runs(aligned(numbered, p.align), &p.inlines, cx.ids.english),
            None => numbered,
        };
        cx.push(numbered);
        let start = cx.out.len();
        blocks(rest, depth + 1, cx);
        indent_parts(&mut cx.out[start..], hang * (depth + 1) as f32);
    }
}

/// Sets the left indent of the paragraphs among `parts` that have no numbering of their own.
fn indent_parts(parts: &mut [Part], left: f32) {
    for part in parts {
        if let Part::Paragraph(p) = part {
            if !p.has_numbering {
                let taken = std::mem::take(p.as_mut());
                **p = taken.indent(Some(styles::twips(left) as i32), None, None, None);
            }
        }
    }
}

/// The signature lines at the right, kept together and with the text before them. The seal
/// placeholder is the template's "（盖章）" on the company line: the PDF keeps a clear
/// square beside it, which a word processor cannot hold free of a clerk's edits.
fn signature(paragraphs: &[Paragraph], cx: &mut Context) {
    let space = styles::twips(cx.style.signature_space_before.0);
    for (i, p) in paragraphs.iter().enumerate() {
        let mut word = aligned(cx.paragraph(cx.ids.signature), p.align);
        if i == 0 {
            word = word.line_spacing(LineSpacing::new().before(space));
        }
        if i + 1 < paragraphs.len() {
            word = word.keep_next(true);
        }
        let word = runs(word, &p.inlines, cx.ids.english);
        cx.push(word);
    }
}

/// `p` with the markup's explicit alignment (the style's otherwise).
pub fn aligned(p: WordParagraph, align: Option<Align>) -> WordParagraph {
    match align {
        None => p,
        Some(Align::Left) => p.align(AlignmentType::Left),
        Some(Align::Center) => p.align(AlignmentType::Center),
        Some(Align::Right) => p.align(AlignmentType::Right),
        Some(Align::Justify) => p.align(AlignmentType::Both),
    }
}

/// Appends the runs of `inlines`; English spans take the character style `english`.
pub fn runs(mut p: WordParagraph, inlines: &[Inline], english: &str) -> WordParagraph {
    for inline in inlines {
        let run = match inline {
            Inline::Text(span) => {
                let run = Run::new().add_text(&span.text);
                let run = match span.secondary {
                    true => run.style(english),
                    false => run,
                };
                match span.bold {
                    true => run.bold(),
                    false => run,
                }
            }
            Inline::LineBreak => Run::new().add_break(BreakType::TextWrapping),
            Inline::CheckBox(state) => Run::new()
                .style(styles::CHECKBOX)
                .add_text(check_mark(*state)),
        };
        p = p.add_run(run);
    }
    p
}

/// The check box as a character: the PDF draws it, Word has these in its symbol fonts.
pub fn check_mark(state: CheckState) -> &'static str {
    match state {
        CheckState::Ready => "☑",
        CheckState::Missing | CheckState::Open => "☐",
        CheckState::NotApplicable => "☒",
    }
}
