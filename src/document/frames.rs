//! Turns the nesting of divs, lists and list items into finished blocks: a stack of open
//! containers, each collecting the blocks written inside it. Divs are our extension, so
//! pulldown-cmark cannot balance them for us; this stack does, and says where one was opened.

use super::tags::DivStyle;
use super::{Align, Block, Cell, Column, List, Paragraph, Table};

/// An open container.
#[derive(Debug)]
pub(super) enum Frame {
    Root(Vec<Block>),
    /// `at`: byte offset of the `<div …>` tag, for "never closed" errors.
    Div {
        style: DivStyle,
        at: usize,
        blocks: Vec<Block>,
    },
    List(List),
    Item(Vec<Block>),
}

/// What surrounding divs ask of the blocks inside them.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Context {
    pub align: Option<Align>,
    pub no_indent: bool,
    pub secondary: bool,
    pub in_signature: bool,
}

/// The stack of open containers; the root is always at the bottom.
#[derive(Debug)]
pub(super) struct Frames(Vec<Frame>);

impl Frames {
    pub fn new() -> Self {
        Frames(vec![Frame::Root(Vec::new())])
    }

    /// The combined effect of the open divs; the innermost alignment wins.
    pub fn context(&self) -> Context {
        let mut cx = Context::default();
        for frame in &self.0 {
            if let Frame::Div { style, .. } = frame {
                cx.align = style.align.or(cx.align);
                cx.no_indent |= style.no_indent;
                cx.secondary |= style.secondary;
                cx.in_signature |= style.signature;
            }
        }
        cx
    }

    pub fn top(&self) -> Option<&Frame> {
        self.0.last()
    }

    pub fn push(&mut self, frame: Frame) {
        self.0.push(frame);
    }

    /// Adds a finished block to the innermost container that holds blocks.
    pub fn add_block(&mut self, block: Block) {
        match self.0.last_mut() {
            Some(Frame::Root(blocks) | Frame::Div { blocks, .. } | Frame::Item(blocks)) => {
                blocks.push(block)
            }
            // pulldown-cmark puts only items directly in lists; keep the block in a new item
            // rather than lose it should that ever change.
            Some(Frame::List(list)) => list.items.push(vec![block]),
            None => self.0.push(Frame::Root(vec![block])),
        }
    }

    /// Removes the innermost container when it is a list item and adds it to its list.
    pub fn close_item(&mut self) -> Result<(), Frame> {
        match self.0.pop() {
            Some(Frame::Item(blocks)) => {
                match self.0.last_mut() {
                    Some(Frame::List(list)) => list.items.push(blocks),
                    _ => self.add_blocks(blocks),
                }
                Ok(())
            }
            Some(other) => Err(other),
            None => Ok(()),
        }
    }

    /// Removes the innermost container when it is a list and adds it as a block.
    pub fn close_list(&mut self) -> Result<(), Frame> {
        match self.0.pop() {
            Some(Frame::List(list)) => {
                self.add_block(Block::List(list));
                Ok(())
            }
            Some(other) => Err(other),
            None => Ok(()),
        }
    }

    /// Removes the innermost container when it is a div: a signature div becomes one block,
    /// any other div hands its (already styled) blocks to its parent.
    pub fn close_div(&mut self) -> Result<(), Option<Frame>> {
        match self.0.pop() {
            Some(Frame::Div { style, blocks, .. }) if style.signature => {
                let paragraphs = blocks.into_iter().filter_map(into_paragraph).collect();
                self.add_block(Block::Signature(paragraphs));
                Ok(())
            }
            Some(Frame::Div { blocks, .. }) => {
                self.add_blocks(blocks);
                Ok(())
            }
            Some(Frame::Root(blocks)) => {
                self.0.push(Frame::Root(blocks));
                Err(None)
            }
            other => Err(other),
        }
    }

    /// Whether a `<div>` is open anywhere (to tell "unbalanced" from "crosses a list item").
    pub fn any_div_open(&self) -> bool {
        self.0.iter().any(|f| matches!(f, Frame::Div { .. }))
    }

    /// The root's blocks, or the innermost container left open.
    pub fn finish(mut self) -> Result<Vec<Block>, Frame> {
        match (self.0.pop(), self.0.is_empty()) {
            (Some(Frame::Root(blocks)), true) => Ok(blocks),
            (Some(open), _) => Err(open),
            (None, _) => Ok(Vec::new()),
        }
    }

    fn add_blocks(&mut self, blocks: Vec<Block>) {
        blocks.into_iter().for_each(|b| self.add_block(b));
    }
}

/// Signature divs admit only paragraphs (checked as blocks open), so nothing is lost here.
fn into_paragraph(block: Block) -> Option<Paragraph> {
    match block {
        Block::Paragraph(p) => Some(p),
        _ => None,
    }
}

/// A table being filled row by row.
#[derive(Debug)]
pub(super) struct TableBuilder {
    pub table: Table,
    pub row: Vec<Cell>,
    /// End offset of the last cell written in the source (padding cells have empty ranges).
    pub last_cell_end: usize,
}

impl TableBuilder {
    pub fn new(alignments: &[pulldown_cmark::Alignment]) -> Self {
        use pulldown_cmark::Alignment as A;
        let columns = alignments
            .iter()
            .map(|a| Column {
                align: match a {
                    A::None | A::Left => Align::Left,
                    A::Center => Align::Center,
                    A::Right => Align::Right,
                },
            })
            .collect();
        TableBuilder {
            table: Table {
                columns,
                header: Vec::new(),
                rows: Vec::new(),
            },
            row: Vec::new(),
            last_cell_end: 0,
        }
    }
}
