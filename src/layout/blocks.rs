//! Turns document blocks (headings, paragraphs, lists, rules, signature blocks) into the
//! [`Flow`] of slabs the paginator stacks; tables are in `table.rs`.

use crate::document::{Align, Block, Inline, List, Paragraph, Span};
use crate::fonts::FontBook;
use crate::units::{Point, Pt};

use super::memo::{set_lines, shape};
use super::page::{Item, LineSegment, Stroke};
use super::paragraph::LineSetting;
use super::signature::signature_slab;
use super::slab::{shift, Flow, Slab};
use super::style::Style;
use super::table::table_flows;
use super::text::SpanStyles;
use super::LayoutError;

/// The horizontal band blocks are set in (lists narrow it).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    pub x: f32,
    pub width: f32,
    /// Whether body paragraphs get the style's first-line indent (not inside lists).
    pub indent_paragraphs: bool,
}

pub(crate) struct Context<'a> {
    pub style: &'a Style,
    pub fonts: &'a FontBook,
}

impl Context<'_> {
    pub fn body_styles(&self) -> SpanStyles {
        SpanStyles {
            primary: self.style.body,
            secondary: self.style.secondary,
        }
    }
}

/// Appends the flow of `blocks` set in `frame`.
pub(crate) fn blocks_flow(
    blocks: &[Block],
    frame: Frame,
    cx: &Context,
    out: &mut Vec<Flow>,
) -> Result<(), LayoutError> {
    for block in blocks {
        match block {
            Block::Heading { level, inlines } => heading(*level, inlines, frame, cx, out)?,
            Block::Paragraph(p) => paragraph(p, frame, cx, out)?,
            Block::List(list) => {
                // A list stays with the line that introduces it ("…as follows:").
                keep_last_with_next(out);
                list_flow(list, frame, cx, out)?
            }
            Block::Table(table) => table_flows(table, frame, cx, out)?,
            Block::Signature(paragraphs) => {
                keep_last_with_next(out);
                out.push(Flow::Slab(signature_slab(paragraphs, frame, cx)?.0));
            }
            Block::PageBreak => out.push(Flow::PageBreak),
            Block::Rule => out.push(Flow::Slab(rule(frame, cx.style))),
        }
    }
    Ok(())
}

/// Chains the last slab so far to what follows. Before a signature this keeps the end of
/// the body (its last two lines, with widow control) on the signature's page: a page with
/// only a signature and seal on it is what GB/T 9704 forbids, since anything could be
/// printed above it.
fn keep_last_with_next(out: &mut [Flow]) {
    if let Some(Flow::Slab(last)) = out.last_mut() {
        last.keep_with_next = true;
    }
}

/// Whether the text among `inlines` is all secondary (English translation), and there is some.
pub(super) fn all_secondary<'a>(inlines: impl Iterator<Item = &'a Inline>) -> bool {
    let mut texts = inlines
        .filter_map(|inline| match inline {
            Inline::Text(span) => Some(span),
            _ => None,
        })
        .peekable();
    texts.peek().is_some() && texts.all(|span| span.secondary)
}

fn heading(
    level: u8,
    inlines: &[Inline],
    frame: Frame,
    cx: &Context,
    out: &mut Vec<Flow>,
) -> Result<(), LayoutError> {
    let mut hs = cx.style.headings[usize::from(level.clamp(1, 3)) - 1];
    let translated = all_secondary(inlines.iter());
    if translated {
        // The title of a reference translation: a size down (the next level's), in the
        // translation's colour, so it does not outweigh the signed Chinese title.
        let next = cx.style.headings[usize::from(level.clamp(1, 2))];
        hs.text.size = next.text.size;
        hs.text.color = cx.style.secondary.color;
        hs.space_after = next.text.size;
    }
    let styles = SpanStyles {
        primary: hs.text,
        secondary: if translated {
            hs.text
        } else {
            cx.style.secondary
        },
    };
    let shaped = shape(inlines, styles, cx.fonts)?;
    let align = if hs.centered {
        Align::Center
    } else {
        Align::Left
    };
    let setting = LineSetting {
        x: frame.x,
        width: frame.width,
        align,
        indent: 0.0,
    };
    let mut slabs: Vec<Slab> = set_lines(&shaped, setting)
        .into_iter()
        .map(Slab::from_line)
        .collect();
    for slab in &mut slabs {
        slab.keep_with_next = true;
    }
    if let Some(first) = slabs.first_mut() {
        first.space_before = hs.space_before.0;
    }
    if let Some(last) = slabs.last_mut() {
        last.height += hs.space_after.0;
    }
    out.extend(slabs.into_iter().map(Flow::Slab));
    Ok(())
}

fn paragraph(
    p: &Paragraph,
    frame: Frame,
    cx: &Context,
    out: &mut Vec<Flow>,
) -> Result<(), LayoutError> {
    let shaped = shape(&p.inlines, cx.body_styles(), cx.fonts)?;
    let align = p.align.unwrap_or(Align::Justify);
    let indents =
        frame.indent_paragraphs && !p.no_indent && matches!(align, Align::Justify | Align::Left);
    let indent = if indents {
        cx.style.first_line_indent * cx.style.body.size.0
    } else {
        0.0
    };
    let setting = LineSetting {
        x: frame.x,
        width: frame.width,
        align,
        indent,
    };
    let slabs: Vec<Slab> = set_lines(&shaped, setting)
        .into_iter()
        .map(Slab::from_line)
        .collect();
    out.extend(
        keep_lines_together(slabs, cx.style.paragraph_space.0)
            .into_iter()
            .map(Flow::Slab),
    );
    Ok(())
}

/// Orphan and widow control: a page neither ends after a paragraph's first line nor starts
/// with its last line.
fn keep_lines_together(mut slabs: Vec<Slab>, space_before: f32) -> Vec<Slab> {
    let n = slabs.len();
    if n >= 2 {
        slabs[0].keep_with_next = true;
        slabs[n - 2].keep_with_next = true;
    }
    if let Some(first) = slabs.first_mut() {
        first.space_before = space_before;
    }
    slabs
}

fn list_flow(
    list: &List,
    frame: Frame,
    cx: &Context,
    out: &mut Vec<Flow>,
) -> Result<(), LayoutError> {
    let hang = cx.style.list_indent * cx.style.body.size.0;
    let inner = Frame {
        x: frame.x + hang,
        width: frame.width - hang,
        indent_paragraphs: false,
    };
    for (k, item) in list.items.iter().enumerate() {
        let marker = match list.ordered {
            Some(start) => format!("{}.", start + k as u64),
            None => "•".to_string(),
        };
        let marker = Span {
            text: marker,
            secondary: starts_secondary(item),
            ..Span::default()
        };
        let mut item_flow = Vec::new();
        blocks_flow(item, inner, cx, &mut item_flow)?;
        attach_marker(marker, frame.x, &mut item_flow, cx)?;
        out.extend(item_flow);
        // Orphan and widow control by item: a page neither ends after a list's first item
        // nor starts with its last one alone (the list of letters closing a checklist did).
        let n = list.items.len();
        if n >= 2 && (k == 0 || k + 2 == n) {
            keep_last_with_next(out);
        }
    }
    Ok(())
}

/// Whether an item's text begins in the secondary (English) style, so its number matches
/// it: in a letter's translation a body-size "1." beside small text looks like a misprint.
fn starts_secondary(item: &[Block]) -> bool {
    match item.first() {
        Some(Block::Paragraph(p)) => p.inlines.iter().find_map(|i| match i {
            Inline::Text(span) => Some(span.secondary),
            _ => None,
        }),
        _ => None,
    }
    .unwrap_or(false)
}

/// Puts the list marker on the baseline of the item's first line, in the hanging indent.
fn attach_marker(marker: Span, x: f32, flow: &mut [Flow], cx: &Context) -> Result<(), LayoutError> {
    let Some(slab) = flow.iter_mut().find_map(|f| match f {
        Flow::Slab(s) | Flow::TableHeader(s) => Some(s),
        _ => None,
    }) else {
        return Ok(());
    };
    let inlines = [Inline::Text(marker)];
    let shaped = shape(&inlines, cx.body_styles(), cx.fonts)?;
    let setting = LineSetting {
        x,
        width: f32::MAX / 4.0,
        align: Align::Left,
        indent: 0.0,
    };
    let Some(line) = set_lines(&shaped, setting).into_iter().next() else {
        return Ok(());
    };
    let dy = slab.first_baseline.unwrap_or(line.baseline) - line.baseline;
    for mut item in line.items {
        shift(&mut item, 0.0, dy);
        slab.items.push(item);
    }
    Ok(())
}

fn rule(frame: Frame, style: &Style) -> Slab {
    let height = style.body.size.0;
    let stroke = Stroke {
        width: style.rule,
        color: style.table.rule_color,
    };
    let y = Pt(height / 2.0);
    let line = LineSegment {
        from: Point { x: Pt(frame.x), y },
        to: Point {
            x: Pt(frame.x + frame.width),
            y,
        },
        stroke,
    };
    Slab {
        height,
        items: vec![Item::Line(line)],
        ..Slab::default()
    }
}
