//! Turns a paragraph's characters and their advances into lines (byte ranges). Break
//! opportunities come from UAX #14 (`unicode-linebreak`), tailored by hand with the Chinese
//! rules of `typography.md` §1 and §8 because the crate has no tailoring API; the fitter is a
//! first fit that pulls the previous character down (推入) when the only break is forbidden,
//! and breaks by character only when a unit is wider than the line.
//!
//! Cost: O(n) to build (one UAX #14 pass, prefix sums of advances and gaps) and O(n · l) to
//! fit, where l is the number of characters of one line (a bounded constant): lines are
//! measured with prefix sums, and only an emergency break looks back over its line.
//!
//! The break opportunities depend on the text alone, and the same texts come back: a letter
//! fitted to one page is set at several sizes, and every client of a batch has the same
//! template paragraphs. Each thread keeps the opportunities of the texts it broke recently.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use unicode_linebreak::{linebreaks, BreakOpportunity};

use super::classes::{
    is_fullwidth_alnum, is_ideograph, is_latin_or_digit, is_paired_mark, is_wide, no_end, no_start,
};

/// Tolerance for float sums when comparing a line with its measure.
const EPSILON: f64 = 1e-3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Break {
    Never,
    Allowed,
    Mandatory,
}

/// One line chosen by [`LineBreaker::lines`].
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Bytes of the paragraph text, trailing spaces and newline included: the lines of a
    /// paragraph concatenate to its text.
    pub bytes: Range<usize>,
    /// The same range in character indices.
    pub chars: Range<usize>,
    /// Characters that are drawn: `chars` without trailing whitespace.
    pub visible: Range<usize>,
    /// Width of the visible characters with the CJK–Latin gaps between them.
    pub width: f32,
    /// The line ends the paragraph or a forced line break (not justified).
    pub hard_end: bool,
}

/// A paragraph measured once and broken into lines for any sequence of line widths.
#[derive(Debug, Clone)]
pub struct LineBreaker<'t> {
    text: &'t str,
    chars: Vec<char>,
    /// Byte offset of each character, plus `text.len()`.
    offsets: Vec<usize>,
    advances: Vec<f32>,
    /// Gap before each character (¼ em between an ideograph and a Latin letter or digit).
    gaps: Vec<f32>,
    /// `breaks[i]`: may a line end before character `i`.
    breaks: Arc<[Break]>,
    advance_sums: Vec<f64>,
    gap_sums: Vec<f64>,
}

impl<'t> LineBreaker<'t> {
    /// Measures `text`; `advance(byte_offset, ch)` gives each character's advance (any unit,
    /// the same as the widths later given to [`LineBreaker::lines`]).
    pub fn new(text: &'t str, mut advance: impl FnMut(usize, char) -> f32) -> Self {
        let (offsets, chars): (Vec<usize>, Vec<char>) = text.char_indices().unzip();
        let advances: Vec<f32> = offsets
            .iter()
            .zip(&chars)
            .map(|(&o, &c)| advance(o, c))
            .collect();
        let mut offsets = offsets;
        offsets.push(text.len());
        let gaps = cjk_latin_gaps(&chars, &advances);
        let breaks = remembered_breaks(text, &chars, &offsets);
        let advance_sums = prefix_sums(&advances);
        let gap_sums = prefix_sums(&gaps);
        LineBreaker {
            text,
            chars,
            offsets,
            advances,
            gaps,
            breaks,
            advance_sums,
            gap_sums,
        }
    }

    pub fn text(&self) -> &'t str {
        self.text
    }

    /// Number of characters.
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    pub fn char_at(&self, index: usize) -> char {
        self.chars[index]
    }

    pub fn advance(&self, index: usize) -> f32 {
        self.advances[index]
    }

    /// The CJK–Latin gap before character `index` (drawn only inside a line).
    pub fn gap_before(&self, index: usize) -> f32 {
        self.gaps[index]
    }

    pub fn byte_offset(&self, index: usize) -> usize {
        self.offsets[index]
    }

    /// Whether a line may end before character `index` without breaking a rule.
    pub fn break_allowed(&self, index: usize) -> bool {
        self.breaks.get(index).is_some_and(|b| *b != Break::Never)
    }

    /// Whether breaking before `index` (by character, as a last resort) would put a no-start
    /// character first, a no-end character last, or split `——`/`……`.
    pub fn char_break_forbidden(&self, index: usize) -> bool {
        let (prev, next) = (self.chars[index - 1], self.chars[index]);
        no_start(next) || no_end(prev) || (is_paired_mark(prev) && prev == next)
    }

    /// Breaks the paragraph; `width(line_index)` is the measure of each line.
    pub fn lines(&self, width: impl Fn(usize) -> f32) -> Vec<Line> {
        let mut lines = Vec::new();
        let mut start = 0;
        while start < self.len() {
            let (end, hard_end) = self.fit_line(start, f64::from(width(lines.len())));
            // A character wider than the line can be broken off as the paragraph's last line.
            lines.push(self.make_line(start, end, hard_end || end == self.len()));
            start = end;
        }
        if lines.is_empty() {
            lines.push(self.make_line(0, 0, true));
        }
        lines
    }

    /// The widest unit between two break opportunities (a table column's minimum).
    pub fn min_width(&self) -> f32 {
        let mut widest = 0.0f64;
        let mut start = 0;
        for i in 1..=self.len() {
            if i == self.len() || self.breaks[i] != Break::Never {
                widest = widest.max(self.visible_width(start, i));
                start = i;
            }
        }
        widest as f32
    }

    /// The widest line when only forced breaks are taken (a table column's natural width).
    pub fn max_width(&self) -> f32 {
        let mut widest = 0.0f64;
        let mut start = 0;
        for i in 1..=self.len() {
            if i == self.len() || self.breaks[i] == Break::Mandatory {
                widest = widest.max(self.visible_width(start, i));
                start = i;
            }
        }
        widest as f32
    }

    /// First fit from `start`: the end of the line and whether it is a forced end.
    fn fit_line(&self, start: usize, measure: f64) -> (usize, bool) {
        let mut last_allowed = None;
        for i in start..self.len() {
            if i > start {
                match self.breaks[i] {
                    Break::Mandatory => return (i, true),
                    Break::Allowed => last_allowed = Some(i),
                    Break::Never => {}
                }
            }
            let overflows = self.span_width(start, i + 1) > measure + EPSILON;
            if overflows && !self.chars[i].is_whitespace() {
                return (
                    last_allowed.unwrap_or_else(|| self.emergency_break(start, i)),
                    false,
                );
            }
        }
        (self.len(), true)
    }

    /// Breaks a unit wider than the line by character, before `overflow` or earlier where
    /// that respects the no-start/no-end rules; always moves forward by at least one character.
    fn emergency_break(&self, start: usize, overflow: usize) -> usize {
        if overflow == start {
            return start + 1;
        }
        (start + 1..=overflow)
            .rev()
            .find(|&j| !self.char_break_forbidden(j))
            .unwrap_or(overflow)
    }

    fn make_line(&self, start: usize, end: usize, hard_end: bool) -> Line {
        let visible_end = self.visible_end(start, end);
        Line {
            bytes: self.offsets[start]..self.offsets[end],
            chars: start..end,
            visible: start..visible_end,
            width: self.span_width(start, visible_end) as f32,
            hard_end,
        }
    }

    fn visible_end(&self, start: usize, end: usize) -> usize {
        let mut visible_end = end;
        while visible_end > start && self.chars[visible_end - 1].is_whitespace() {
            visible_end -= 1;
        }
        visible_end
    }

    fn visible_width(&self, start: usize, end: usize) -> f64 {
        self.span_width(start, self.visible_end(start, end))
    }

    /// Advances of `start..end` plus the gaps between them (not the gap before `start`).
    fn span_width(&self, start: usize, end: usize) -> f64 {
        if end <= start {
            return 0.0;
        }
        let advances = self.advance_sums[end] - self.advance_sums[start];
        advances + self.gap_sums[end] - self.gap_sums[start + 1]
    }
}

fn prefix_sums(values: &[f32]) -> Vec<f64> {
    let mut sums = Vec::with_capacity(values.len() + 1);
    let mut total = 0.0f64;
    sums.push(total);
    for v in values {
        total += f64::from(*v);
        sums.push(total);
    }
    sums
}

/// A quarter of the ideograph's advance (its em) between an ideograph and a Latin letter or
/// digit. Punctuation never gets one, so `ABC，` and `（ABC）` stay tight.
fn cjk_latin_gaps(chars: &[char], advances: &[f32]) -> Vec<f32> {
    let mut gaps = vec![0.0; chars.len()];
    for i in 1..chars.len() {
        let (prev, next) = (chars[i - 1], chars[i]);
        if is_ideograph(prev) && is_latin_or_digit(next) {
            gaps[i] = advances[i - 1] * 0.25;
        } else if is_latin_or_digit(prev) && is_ideograph(next) {
            gaps[i] = advances[i] * 0.25;
        }
    }
    gaps
}

/// Texts whose opportunities a thread remembers; past this the memory starts afresh (a batch
/// of thousands of clients must not grow without bound).
const REMEMBERED_TEXTS: usize = 4096;

thread_local! {
    static REMEMBERED: RefCell<HashMap<String, Arc<[Break]>>> = RefCell::new(HashMap::new());
}

/// [`tailored_breaks`] of `text`, computed once per thread while the text is remembered.
fn remembered_breaks(text: &str, chars: &[char], offsets: &[usize]) -> Arc<[Break]> {
    if let Some(breaks) = REMEMBERED.with(|r| r.borrow().get(text).cloned()) {
        return breaks;
    }
    let breaks: Arc<[Break]> = tailored_breaks(text, chars, offsets).into();
    REMEMBERED.with(|r| {
        let mut remembered = r.borrow_mut();
        if remembered.len() >= REMEMBERED_TEXTS {
            remembered.clear();
        }
        remembered.insert(text.to_string(), Arc::clone(&breaks));
    });
    breaks
}

/// UAX #14 opportunities with the Chinese tailoring applied (reference §2.2, T1–T7, plus the
/// final no-start/no-end check and unsplittable numbers with units, e-mails and URLs).
fn tailored_breaks(text: &str, chars: &[char], offsets: &[usize]) -> Vec<Break> {
    let mut breaks = uax14_breaks(text, chars, offsets);
    let unbreakable = unbreakable_tokens(text, chars, offsets);
    for i in 1..chars.len() {
        if breaks[i] == Break::Allowed && (unbreakable[i] || tailoring_forbids(chars, i)) {
            breaks[i] = Break::Never;
        }
    }
    breaks[0] = Break::Never;
    breaks
}

/// UAX #14 on a copy where curly quotes beside CJK text read as brackets (T1): the crate
/// otherwise glues `说：“你`. The substitutes have the same UTF-8 length, so offsets agree.
fn uax14_breaks(text: &str, chars: &[char], offsets: &[usize]) -> Vec<Break> {
    let probe: String = chars
        .iter()
        .enumerate()
        .map(|(i, &ch)| quote_as_bracket(chars, i).unwrap_or(ch))
        .collect();
    debug_assert_eq!(probe.len(), text.len());
    let mut breaks = vec![Break::Never; chars.len() + 1];
    let mut index = 0;
    for (byte, opportunity) in linebreaks(&probe) {
        while offsets[index] < byte {
            index += 1;
        }
        breaks[index] = match opportunity {
            BreakOpportunity::Mandatory => Break::Mandatory,
            BreakOpportunity::Allowed => Break::Allowed,
        };
    }
    breaks
}

fn quote_as_bracket(chars: &[char], i: usize) -> Option<char> {
    let cjk_neighbour = (i > 0 && is_wide(chars[i - 1]) && !is_quote(chars[i - 1]))
        || chars
            .get(i + 1)
            .is_some_and(|&c| is_wide(c) && !is_quote(c));
    match chars[i] {
        '“' | '‘' if cjk_neighbour => Some('（'),
        '”' | '’' if cjk_neighbour => Some('）'),
        _ => None,
    }
}

fn is_quote(ch: char) -> bool {
    matches!(ch, '“' | '”' | '‘' | '’')
}

/// The GB rules UAX #14 does not know, for a break before `chars[i]`.
fn tailoring_forbids(chars: &[char], i: usize) -> bool {
    let (prev, next) = (chars[i - 1], chars[i]);
    let single_dash = next == '—' && prev != '—' && chars.get(i + 1) != Some(&'—');
    no_start(next)
        || no_end(prev)
        || matches!(prev, '□' | '■' | '☐' | '☑' | '☒')
        || matches!(next, '-' | '～' | '〜' | '–' | '‐')
        || single_dash
        || (is_paired_mark(prev) && prev == next)
        || (prev.is_ascii_digit() && is_ideograph(next))
        || (is_fullwidth_alnum(prev) && is_fullwidth_alnum(next))
}

/// Marks positions inside e-mail addresses and URLs (kept whole unless wider than a line).
fn unbreakable_tokens(text: &str, chars: &[char], offsets: &[usize]) -> Vec<bool> {
    let mut inside = vec![false; chars.len() + 1];
    let mut start = 0;
    while start < chars.len() {
        let token_end = (start..chars.len())
            .find(|&j| chars[j].is_whitespace() || is_wide(chars[j]))
            .unwrap_or(chars.len());
        let token = &text[offsets[start]..offsets[token_end]];
        if token.contains("://") || token.contains('@') || token.starts_with("www.") {
            inside[start + 1..token_end]
                .iter_mut()
                .for_each(|b| *b = true);
        }
        start = token_end + 1;
    }
    inside
}

#[cfg(test)]
mod tests;
