//! Turns document markup (CommonMark + tables, plus the HTML-like extension tags described in
//! `templates/README.md`) into a [`Document`]. pulldown-cmark does the Markdown; the
//! extensions and the refusal of everything else are hand-written here, because
//! pulldown-cmark hands raw HTML through untouched and we must never drop content silently.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::frames::{Frame, Frames, TableBuilder};
use super::inlines::{Piece, Run};
use super::tags::{self, ExtTag, TagError};
use super::{Block, Cell, Document, DocumentKind, List, Paragraph};
use crate::diag::line_col;

/// A markup construct the parser does not accept, with its 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl ParseError {
    fn at(src: &str, offset: usize, message: impl Into<String>) -> Self {
        let (line, column) = line_col(src, offset);
        ParseError {
            line,
            column,
            message: message.into(),
            hint: None,
        }
    }

    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// Parses `src` into a document with the given title and kind.
pub fn parse(src: &str, title: &str, kind: DocumentKind) -> Result<Document, ParseError> {
    // Footnotes and task lists are switched on only so that they are reported, not read as
    // literal brackets the author did not mean.
    let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_TASKLISTS;
    let parser = Parser::new_ext(src, options).into_offset_iter();
    reject_reference_definitions(src, parser.reference_definitions())?;
    let mut builder = Builder {
        src,
        frames: Frames::new(),
        run: None,
        table: None,
    };
    for (event, range) in parser {
        builder.event(event, range)?;
    }
    Ok(Document {
        title: title.to_string(),
        kind,
        blocks: builder.finish()?,
    })
}

/// CommonMark silently removes `[label]: url` lines; we refuse them instead.
fn reject_reference_definitions(
    src: &str,
    defs: &pulldown_cmark::RefDefs<'_>,
) -> Result<(), ParseError> {
    match defs.iter().min_by_key(|(_, def)| def.span.start) {
        None => Ok(()),
        Some((label, def)) => Err(ParseError::at(
            src,
            def.span.start,
            format!(
                "`[{label}]: …` is a link reference definition, which the markup does not accept"
            ),
        )
        .hint("to keep the line as text, escape the bracket: \\[")),
    }
}

const HINT_TASK_LIST: &str =
    "use <check status=\"ready|missing|not-applicable|open\"/>, or escape the bracket: \\[";
const HINT_FOOTNOTE: &str =
    "write the note as a paragraph; to keep `[^…]` as text, escape the bracket: \\[";
const HINT_QUOTE: &str = "to start a line with > as text, escape it: \\>";
const HINT_CODE_BLOCK: &str =
    "lines indented by 4 or more spaces and ``` fences make code blocks; remove the indent";
const HINT_LINK: &str = "write the address as plain text; to show brackets, escape them: \\[ \\]";
const HINT_EXTRA_CELLS: &str = "the extra cells would be lost: add the column to the header and \
                                delimiter rows, or escape a | that is text: \\|";
const HINT_BLOCK_TAG_LINE: &str = "write each block tag on a line of its own and leave a blank \
                                   line between it and the text";
const HINT_INLINE_TAG_ALONE: &str = "put it inside a paragraph, next to its text; a line holding \
                                     only a tag starts an HTML block";

/// What the inline content being collected will become.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// `implicit`: the text of a tight list item, which pulldown-cmark gives without a
    /// paragraph around it.
    Paragraph {
        implicit: bool,
    },
    Heading(u8),
    Cell,
}

struct Builder<'s> {
    src: &'s str,
    frames: Frames,
    run: Option<(Target, Run)>,
    table: Option<TableBuilder>,
}

impl Builder<'_> {
    fn error(&self, at: usize, message: impl Into<String>) -> ParseError {
        ParseError::at(self.src, at, message)
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) -> Result<(), ParseError> {
        let at = range.start;
        match event {
            Event::Start(tag) => self.start(tag, at),
            Event::End(tag) => self.end(tag, range),
            Event::Text(text) => self.text(&text, at),
            Event::SoftBreak => self.inline_piece(Piece::SoftBreak, at),
            Event::HardBreak => self.inline_piece(Piece::LineBreak, at),
            Event::InlineHtml(html) => self.inline_tag(&html, at),
            Event::Html(html) => self.block_html(&html, at),
            Event::Rule => self.add_block(Block::Rule, "a rule (---)", at),
            Event::Code(_) => Err(self
                .error(at, "inline code is not part of the document markup")
                .hint("to show a backtick as text, escape it: \\`")),
            Event::TaskListMarker(_) => Err(self
                .error(at, "task list markers ([ ] / [x]) are not supported")
                .hint(HINT_TASK_LIST)),
            Event::FootnoteReference(_) => Err(self.footnote_error(at)),
            Event::InlineMath(_) | Event::DisplayMath(_) => {
                Err(self.error(at, "math is not part of the document markup"))
            }
        }
    }

    fn footnote_error(&self, at: usize) -> ParseError {
        self.error(at, "footnotes are not part of the document markup")
            .hint(HINT_FOOTNOTE)
    }

    fn start(&mut self, tag: Tag<'_>, at: usize) -> Result<(), ParseError> {
        match tag {
            Tag::Paragraph => {
                self.end_implicit_paragraph()?;
                self.run = Some((Target::Paragraph { implicit: false }, self.new_run()));
            }
            Tag::Heading { level, .. } => self.start_heading(level as u8, at)?,
            Tag::List(start) => {
                self.end_implicit_paragraph()?;
                self.check_block_allowed("a list", at)?;
                self.frames.push(Frame::List(List {
                    ordered: start,
                    items: Vec::new(),
                }));
            }
            Tag::Item => self.frames.push(Frame::Item(Vec::new())),
            Tag::Table(alignments) => {
                self.end_implicit_paragraph()?;
                self.check_block_allowed("a table", at)?;
                self.check_not_aligned(
                    "a table",
                    "column alignment comes from the delimiter row: :--  :-:  --:",
                    at,
                )?;
                self.table = Some(TableBuilder::new(&alignments));
            }
            Tag::TableHead | Tag::TableRow => self.start_row(at),
            Tag::TableCell => self.run = Some((Target::Cell, self.new_run())),
            // CJK has no italics: emphasis is read as plain text (documented in the README).
            Tag::Emphasis => {}
            Tag::Strong => self.with_run(at, |run| run.set_bold(true))?,
            Tag::HtmlBlock => self.end_implicit_paragraph()?,
            other => return Err(self.unsupported(&other, at)),
        }
        Ok(())
    }

    fn unsupported(&self, tag: &Tag<'_>, at: usize) -> ParseError {
        let (what, hint) = match tag {
            Tag::BlockQuote(_) => ("block quotes (>)", HINT_QUOTE),
            Tag::CodeBlock(_) => ("code blocks", HINT_CODE_BLOCK),
            Tag::Link { .. } => ("links", HINT_LINK),
            Tag::Image { .. } => ("images", "to show `![` as text, escape it: \\!\\["),
            Tag::FootnoteDefinition(_) => return self.footnote_error(at),
            _ => (
                "this construct",
                "see templates/README.md for the accepted markup",
            ),
        };
        self.error(at, format!("{what} are not part of the document markup"))
            .hint(hint)
    }

    fn start_heading(&mut self, level: u8, at: usize) -> Result<(), ParseError> {
        if level > 3 {
            return Err(self
                .error(at, format!("heading level {level} is too deep"))
                .hint("use #, ## or ### (document title, section, subsection)"));
        }
        self.end_implicit_paragraph()?;
        self.check_block_allowed("a heading", at)?;
        self.check_not_aligned(
            "a heading",
            "the layout preset places headings; move it out of the div",
            at,
        )?;
        self.run = Some((Target::Heading(level), self.new_run()));
        Ok(())
    }

    fn start_row(&mut self, at: usize) {
        if let Some(table) = &mut self.table {
            table.row.clear();
            table.last_cell_end = at;
        }
    }

    fn end(&mut self, tag: TagEnd, range: Range<usize>) -> Result<(), ParseError> {
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_) => self.finish_run(),
            TagEnd::TableCell => {
                self.finish_run()?;
                if let Some(table) = self.table.as_mut().filter(|_| !range.is_empty()) {
                    table.last_cell_end = range.end;
                }
                Ok(())
            }
            TagEnd::TableHead | TagEnd::TableRow => self.end_row(tag == TagEnd::TableHead, range),
            TagEnd::Table => {
                let table = self.table.take().map(|t| t.table);
                table.map_or(Ok(()), |t| {
                    self.add_block(Block::Table(t), "a table", range.start)
                })
            }
            TagEnd::Item => {
                self.end_implicit_paragraph()?;
                self.frames
                    .close_item()
                    .map_err(|open| self.unclosed_in_item(open))
            }
            TagEnd::List(_) => self
                .frames
                .close_list()
                .map_err(|open| self.unclosed_in_item(open)),
            TagEnd::Strong => self.with_run(range.start, |run| run.set_bold(false)),
            _ => Ok(()),
        }
    }

    /// A div opened inside a list item must close inside it.
    fn unclosed_in_item(&self, open: Frame) -> ParseError {
        // pulldown-cmark balances lists and items itself, so only a div can be left open.
        let at = match open {
            Frame::Div { at, .. } => at,
            _ => 0,
        };
        self.error(at, "this <div> is not closed before its list item ends")
            .hint("put </div> inside the item, indented like the item's text")
    }

    fn end_row(&mut self, header: bool, range: Range<usize>) -> Result<(), ParseError> {
        let Some(table) = &mut self.table else {
            return Ok(());
        };
        let row = std::mem::take(&mut table.row);
        let columns = table.table.columns.len();
        let rest_start = table.last_cell_end.clamp(range.start, range.end);
        let rest = &self.src[rest_start..range.end];
        if let Some(i) = rest.find(|c: char| !c.is_whitespace() && c != '|') {
            return Err(self
                .error(
                    rest_start + i,
                    format!("this row has more cells than the table's {columns} columns"),
                )
                .hint(HINT_EXTRA_CELLS));
        }
        match header {
            true => table.table.header = row,
            false => table.table.rows.push(row),
        }
        Ok(())
    }

    fn new_run(&self) -> Run {
        Run::new(self.frames.context().secondary)
    }

    /// Applies `f` to the inline run, opening the implicit paragraph of a tight list item.
    fn with_run(&mut self, at: usize, f: impl FnOnce(&mut Run)) -> Result<(), ParseError> {
        if self.run.is_none() {
            if !matches!(self.frames.top(), Some(Frame::Item(_))) {
                return Err(self.error(at, "inline content outside a paragraph"));
            }
            self.run = Some((Target::Paragraph { implicit: true }, self.new_run()));
        }
        if let Some((_, run)) = &mut self.run {
            f(run);
        }
        Ok(())
    }

    fn text(&mut self, text: &str, at: usize) -> Result<(), ParseError> {
        // pulldown-cmark reports the indentation before an indented HTML block as text.
        if self.run.is_none() && text.trim().is_empty() {
            return Ok(());
        }
        self.with_run(at, |run| run.push_text(text))
    }

    fn inline_piece(&mut self, piece: Piece, at: usize) -> Result<(), ParseError> {
        self.with_run(at, |run| run.push(piece))
    }

    fn inline_tag(&mut self, html: &str, at: usize) -> Result<(), ParseError> {
        let tag = tags::recognise(html).map_err(|e| self.tag_error(e, at))?;
        match tag {
            ExtTag::EnOpen => self.with_run(at, |run| run.en_open.push(at)),
            ExtTag::EnClose => {
                let mut closed = false;
                self.with_run(at, |run| closed = run.en_open.pop().is_some())?;
                match closed {
                    true => Ok(()),
                    false => Err(self.error(at, "</en> without a matching <en>")),
                }
            }
            ExtTag::LineBreak => self.inline_piece(Piece::LineBreak, at),
            ExtTag::Check(state) => self.inline_piece(Piece::Check(state), at),
            ExtTag::DivOpen(_) | ExtTag::DivClose | ExtTag::PageBreak => Err(self
                .error(
                    at,
                    format!("{} must stand on a line of its own", html.trim()),
                )
                .hint("leave a blank line before and after it")),
        }
    }

    fn tag_error(&self, e: TagError, at: usize) -> ParseError {
        let error = self.error(at, e.message);
        match e.hint {
            Some(hint) => error.hint(hint),
            None => error,
        }
    }

    /// The lines of an HTML block: each must be one block tag.
    fn block_html(&mut self, html: &str, start: usize) -> Result<(), ParseError> {
        let mut cursor = start;
        for line in html.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let at = self
                .src
                .get(cursor..)
                .and_then(|s| s.find(line))
                .map_or(cursor, |i| cursor + i);
            cursor = at + line.len();
            self.block_tag(line, at)?;
        }
        Ok(())
    }

    fn block_tag(&mut self, line: &str, at: usize) -> Result<(), ParseError> {
        if !line.starts_with('<') || !line.ends_with('>') || line.matches('<').count() > 1 {
            return Err(self
                .error(
                    at,
                    "text next to a block tag is read as raw HTML, not as markup",
                )
                .hint(HINT_BLOCK_TAG_LINE));
        }
        match tags::recognise(line).map_err(|e| self.tag_error(e, at))? {
            ExtTag::DivOpen(style) => {
                if style.signature {
                    self.check_block_allowed("a signature block", at)?;
                }
                self.frames.push(Frame::Div {
                    style,
                    at,
                    blocks: Vec::new(),
                });
                Ok(())
            }
            ExtTag::DivClose => self.close_div(at),
            ExtTag::PageBreak => self.add_block(Block::PageBreak, "a page break", at),
            _ => Err(self
                .error(
                    at,
                    format!("{line} is an inline tag, but stands alone here"),
                )
                .hint(HINT_INLINE_TAG_ALONE)),
        }
    }

    fn close_div(&mut self, at: usize) -> Result<(), ParseError> {
        if !matches!(self.frames.top(), Some(Frame::Div { .. })) {
            return Err(match self.frames.any_div_open() {
                true => self
                    .error(at, "</div> closes a div opened outside this list item")
                    .hint("open and close a div inside the same list item"),
                false => self.error(at, "</div> without a matching <div>"),
            });
        }
        // Cannot fail: the innermost frame was just seen to be a div.
        let _ = self.frames.close_div();
        Ok(())
    }

    /// Signature blocks hold only paragraphs.
    fn check_block_allowed(&self, what: &str, at: usize) -> Result<(), ParseError> {
        match self.frames.context().in_signature {
            true => Err(self
                .error(
                    at,
                    format!("{what} cannot stand inside <div class=\"signature\">"),
                )
                .hint(
                    "a signature block holds only paragraphs (name, title, date); close it first",
                )),
            false => Ok(()),
        }
    }

    fn check_not_aligned(&self, what: &str, hint: &str, at: usize) -> Result<(), ParseError> {
        match self.frames.context().align {
            Some(_) => Err(self
                .error(at, format!("{what} cannot be aligned by a div"))
                .hint(hint)),
            None => Ok(()),
        }
    }

    fn add_block(&mut self, block: Block, what: &str, at: usize) -> Result<(), ParseError> {
        self.end_implicit_paragraph()?;
        self.check_block_allowed(what, at)?;
        self.frames.add_block(block);
        Ok(())
    }

    /// Ends the implicit paragraph of a tight list item before a block starts.
    fn end_implicit_paragraph(&mut self) -> Result<(), ParseError> {
        match self.run {
            Some((Target::Paragraph { implicit: true }, _)) => self.finish_run(),
            _ => Ok(()),
        }
    }

    /// Turns the collected inlines into the block or cell they belong to.
    fn finish_run(&mut self) -> Result<(), ParseError> {
        let Some((target, run)) = self.run.take() else {
            return Ok(());
        };
        if let Some(&open) = run.en_open.first() {
            return Err(self
                .error(open, "<en> is not closed in this paragraph")
                .hint("close it with </en> before the paragraph, heading or cell ends"));
        }
        let inlines = run.into_inlines();
        let cx = self.frames.context();
        match target {
            Target::Paragraph { .. } if inlines.is_empty() => {}
            Target::Paragraph { .. } => {
                let p = Paragraph {
                    inlines,
                    align: cx.align,
                    no_indent: cx.no_indent,
                };
                self.frames.add_block(Block::Paragraph(p));
            }
            Target::Heading(level) => self.frames.add_block(Block::Heading { level, inlines }),
            Target::Cell => {
                if let Some(table) = &mut self.table {
                    table.row.push(Cell { inlines });
                }
            }
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Vec<Block>, ParseError> {
        self.end_implicit_paragraph()?;
        self.frames.finish().map_err(|open| {
            let at = match open {
                Frame::Div { at, .. } => at,
                _ => self.src.len(),
            };
            ParseError::at(self.src, at, "this <div> is never closed")
                .hint("add </div> on a line of its own, after a blank line")
        })
    }
}
