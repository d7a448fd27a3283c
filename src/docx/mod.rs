//! Turns a [`Packet`] — the same typed documents the PDF layout consumes — into the bytes of
//! an editable Word document (DOCX), with the docx-rs crate: a renderer beside
//! `layout → pdf`, fed by no template of its own.
//!
//! Word sets the lines and pages itself, so this renderer decides structure and styles
//! only: each document of the packet is a section (A4, the style's margins) starting on a
//! new page; headings are Word heading styles (the navigation pane shows the outline); body,
//! English, table and signature text are named styles carrying the sizes, pitch, indents and
//! fonts of `style.toml`; lists are Word numbering; tables are Word tables with a repeating
//! header row; the running header and the page footer use `PAGE` / `NUMPAGES` fields.
//!
//! Files: `styles` (the style sheet), `blocks` (paragraphs, lists, signature), `tables`,
//! `numbering`, `enumeration` (a letter's points 一、 二、 … as a Word list), `furniture`
//! (header and footer), `logo` (the agency logo as the header's picture), `package` (what docx-rs cannot say, and a deterministic archive). [`check`] names what Word cannot hold (lists nested deeper than
//! nine levels, tables wider than 63 columns) so `templates check` reports it up front.

mod blocks;
mod enumeration;
mod furniture;
mod logo;
mod numbering;
mod package;
mod styles;
mod tables;
#[cfg(test)]
mod tests;

pub use package::PackageError;

use docx_rs::{Docx, PageMargin, SectionProperty};

use crate::document::{Block, Document, Packet};
use crate::layout::Style;
use crate::stylesheet::Styles;

use blocks::{Context, Part};
use numbering::{Lists, MAX_DEPTH};

/// Word's limit on the columns of a table.
pub const MAX_COLUMNS: usize = 63;

#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error(transparent)]
    Unsupported(#[from] Unsupported),
    #[error(transparent)]
    Package(#[from] PackageError),
}

/// Something a document holds that a Word document cannot express.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{what} in \"{document}\", near \"{near}\": Word cannot express this, so the DOCX cannot be written")]
pub struct Unsupported {
    pub what: String,
    pub document: String,
    /// The first text of the offending block, to find it in the template.
    pub near: String,
}

/// The styles as Word gets them. A letter the PDF fits to one page (`fit = "one-page"`) is
/// set there at the largest size between the preset's and `min_size` that fits; Word sets
/// its own lines and cannot be asked to fit, so the letter styles take `min_size`, at which
/// the letters keep to one page in Word as well (a clerk can enlarge them with Modify Style).
fn word_sizes(styles: &Styles) -> Styles {
    let mut sized = styles.clone();
    if sized.letter.fit == crate::layout::Fit::OnePage {
        sized.letter = sized.letter.scaled_to(sized.letter.min_body_size);
    }
    sized
}

/// The DOCX bytes of `packet` in `styles`.
pub fn write(packet: &Packet, styles: &Styles) -> Result<Vec<u8>, DocxError> {
    let styles = &word_sizes(styles);
    for document in &packet.documents {
        check(document)?;
    }
    let mut next_id = 0;
    let header = furniture::header(&packet.meta, &mut next_id);
    let footer = furniture::footer(&packet.meta, &mut next_id);
    let mut lists = Lists::default();
    let mut docx = Docx::new().styles(styles::word_styles(styles));
    let count = packet.documents.len();
    for (i, document) in packet.documents.iter().enumerate() {
        let style = styles.for_kind(document.kind);
        let mut parts = document_parts(document, &style, &mut lists, &mut next_id);
        if i + 1 < count {
            // A section ends with its last paragraph, which carries the section's page.
            let section = section(&style)
                .header(header.clone(), "rIdHeader1")
                .footer(footer.clone(), "rIdFooter1");
            end_section(&mut parts, section, &mut next_id);
        } else {
            let m = margins(&style);
            docx = docx
                .page_size(twips(style.page_width.0), twips(style.page_height.0))
                .page_margin(m);
        }
        docx = parts.into_iter().fold(docx, |d, part| match part {
            Part::Paragraph(p) => d.add_paragraph(*p),
            Part::Table(t) => d.add_table(*t),
        });
    }
    let letter = &styles.letter;
    let hang = letter.list_indent * letter.body.size.0;
    let first_line = letter.first_line_indent * letter.body.size.0;
    let (abstracts, instances) = lists.into_parts(hang, first_line);
    docx = abstracts
        .into_iter()
        .fold(docx, |d, a| d.add_abstract_numbering(a));
    docx = instances.into_iter().fold(docx, |d, n| d.add_numbering(n));
    let docx = docx.header(header).footer(footer);
    let indents: Vec<(i32, i32)> = [&styles.checklist, &styles.letter]
        .into_iter()
        .filter_map(styles::first_line_indent)
        .collect();
    // Every document's header is the same; the checklist's page gives the logo its room.
    let logo = packet
        .meta
        .brand
        .as_ref()
        .and_then(|brand| brand.logo.as_ref())
        .and_then(|image| logo::HeaderLogo::new(image, &styles.checklist));
    Ok(package::pack(
        docx.build(),
        &packet.meta,
        &indents,
        logo.as_ref(),
    )?)
}

fn document_parts(
    document: &Document,
    style: &Style,
    lists: &mut Lists,
    next_id: &mut u32,
) -> Vec<Part> {
    let mut cx = Context {
        ids: styles::ids(document.kind),
        style,
        lists,
        next_id,
        break_pending: false,
        out: Vec::new(),
    };
    blocks::blocks(&document.blocks, 0, &mut cx);
    cx.out
}

/// The next paragraph id of the packet: numbered here, not by docx-rs's per-thread counter,
/// so the bytes do not depend on what the thread built before.
fn paragraph_id(next_id: &mut u32) -> String {
    *next_id += 1;
    format!("{:08X}", *next_id)
}

/// Puts `section` on the last paragraph of `parts` (a new empty one after a final table).
fn end_section(parts: &mut Vec<Part>, section: SectionProperty, next_id: &mut u32) {
    if !matches!(parts.last(), Some(Part::Paragraph(_))) {
        let p = docx_rs::Paragraph::new().id(paragraph_id(next_id));
        parts.push(Part::Paragraph(Box::new(p)));
    }
    if let Some(Part::Paragraph(p)) = parts.last_mut() {
        let taken = std::mem::take(p.as_mut());
        **p = taken.section_property(section);
    }
}

fn section(style: &Style) -> SectionProperty {
    SectionProperty::new()
        .page_size(
            docx_rs::PageSize::new().size(twips(style.page_width.0), twips(style.page_height.0)),
        )
        .page_margin(margins(style))
}

/// The style's margins; header and footer distances from the page edge put their text where
/// the PDF's running header and footer sit.
fn margins(style: &Style) -> PageMargin {
    let f = &style.furniture;
    let t = |pt: f32| twips(pt) as i32;
    PageMargin::new()
        .top(t(style.margin_top.0))
        .bottom(t(style.margin_bottom.0))
        .left(t(style.margin_left.0))
        .right(t(style.margin_right.0))
        .header(t((style.margin_top - f.header_baseline).0 - f.text.size.0))
        .footer(t((style.margin_bottom - f.footer_baseline).0))
        .gutter(0)
}

fn twips(pt: f32) -> u32 {
    styles::twips(pt)
}

/// Whether Word can hold `document`: lists at most nine levels deep, tables at most 63
/// columns wide.
pub fn check(document: &Document) -> Result<(), Unsupported> {
    check_blocks(&document.blocks, 0, document)
}

fn check_blocks(blocks: &[Block], depth: usize, document: &Document) -> Result<(), Unsupported> {
    for block in blocks {
        let fail = |what: String| Unsupported {
            what,
            document: document.title.clone(),
            near: first_text(block),
        };
        match block {
            Block::List(list) if depth + 1 > MAX_DEPTH => {
                return Err(fail(format!(
                    "a list nested {} levels deep (Word has {MAX_DEPTH})",
                    depth + 1
                )));
            }
            Block::List(list) => {
                for item in &list.items {
                    check_blocks(item, depth + 1, document)?;
                }
            }
            Block::Table(t) if t.header.len().max(t.columns.len()) > MAX_COLUMNS => {
                return Err(fail(format!(
                    "a table of {} columns (Word has at most {MAX_COLUMNS})",
                    t.header.len().max(t.columns.len())
                )));
            }
            _ => {}
        }
    }
    Ok(())
}

/// The first line of text in `block`, to locate it.
fn first_text(block: &Block) -> String {
    let mut text = String::new();
    let doc = Document {
        title: String::new(),
        kind: crate::document::DocumentKind::Checklist,
        blocks: vec![block.clone()],
    };
    text.push_str(
        doc.plain_text()
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or(""),
    );
    text
}
