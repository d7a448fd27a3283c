//! Turns a paragraph's characters and their advances into lines (byte ranges). Break
//! opportunities come from UAX #14 (`unicode-linebreak`), tailored by hand with the Chinese
//! rules of `typography.md` §1 and §8 because the crate has no tailoring API.
//!
//! Lines are chosen in clreq's order. Punctuation is compressed first (标点挤压,
//! `typography.md` §8): a closing or pause mark before another mark gives up its blank half,
//! and so do an opening mark after another opening mark and a closing mark at a line end. (An
//! opening mark starting a line keeps its width, as clreq allows: its glyph box stays inside
//! the type area.) Then the breaks are chosen over the whole paragraph at once (total fit, after
//! Knuth and Plass): each line costs the cube of how far justification would stretch it (the
//! space added between its characters, in em, which in a line of mostly Latin text falls on
//! few gaps), so characters move between lines before any one line is letter-spaced. Only
//! when a line would still stretch by about a tenth is a long code (a unified social credit
//! code, a licence number) broken at a character boundary; a unit wider than the line breaks
//! by character as the last resort, and a break the rules forbid is taken only where nothing
//! else is left.
//! The setter marks a broken unit so that text extraction gives it back whole
//! ([`LineBreaker::split_unit`]).
//!
//! Cost: O(n) to build (one UAX #14 pass, prefix sums of advances, gaps and counts) and
//! O(n · l) to break, where l is the number of characters of one line (a bounded constant):
//! every position is a candidate end, each tried against the starts within one line's
//! measure, and a line's width and cost come from prefix sums in O(1).
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
    blank_half, is_fullwidth_alnum, is_ideograph, is_latin_or_digit, is_paired_mark, is_wide,
    no_end, no_start, Blank, OBJECT,
};

/// Tolerance for float sums when comparing a line with its measure.
const EPSILON: f64 = 1e-3;

/// How far justification may stretch a line — the space it adds after each expandable
/// character, in em: what the reader sees the pitch grow by — before its cost reaches [`CODE_BREAK_PENALTY`] (a tenth keeps a line well inside the 1.15 × pitch that
/// reads as letter-spaced).
const TOLERATED_STRETCH: f64 = 0.1;
/// Cost of a paragraph's last line holding a single ideograph (孤字), which clreq asks to
/// avoid: more than any ragged line's raggedness and than the stretch that pulling a
/// character down gives a justified line of ordinary length, less than breaking a code.
const ORPHAN_PENALTY: f64 = 2000.0;
/// Cost of breaking a long code at a character boundary: that of a line stretched by
/// [`TOLERATED_STRETCH`].
const CODE_BREAK_PENALTY: f64 = 101.0 * 101.0;
/// The most a line's stretch costs before squaring: less than [`EMERGENCY_PENALTY`] squared.
const MAX_BADNESS: f64 = 1e4;
/// Cost of breaking a unit by character because it is wider than the line.
const EMERGENCY_PENALTY: f64 = 1e9;
/// Cost of a break the rules forbid (a line starting with `，`): taken only when no other
/// end is possible at all.
const FORBIDDEN_PENALTY: f64 = 1e15;
/// A code is a run of at least this many ASCII letters and digits with a digit in it …
const CODE_MIN_LEN: usize = 8;
/// … and keeps at least this many characters on each side of a break.
const CODE_MIN_PIECE: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Break {
    Never,
    Allowed,
    Mandatory,
}

/// Whether the lines being chosen will be justified (their slack spread between characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Justified {
    Yes,
    No,
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
    /// Width of the visible characters with the CJK–Latin gaps between them, punctuation
    /// compressed.
    pub width: f32,
    /// The line ends the paragraph or a forced line break (not justified).
    pub hard_end: bool,
}

/// Where one character is drawn within its line: how far its glyph moves left (an opening
/// mark's compressed blank) and how far the pen moves on after it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    pub shift_left: f32,
    pub advance: f32,
}

/// A paragraph measured once and broken into lines for a first-line and a later-line measure.
#[derive(Debug, Clone)]
pub struct LineBreaker<'t> {
    text: &'t str,
    chars: Vec<char>,
    /// Byte offset of each character, plus `text.len()`.
    offsets: Vec<usize>,
    advances: Vec<f32>,
    /// Half an em for a full-width mark with a blank half, else 0: what a line edge or a
    /// neighbouring mark may take away.
    blanks: Vec<f32>,
    /// Blank taken from the left (right) of each character by a neighbouring mark.
    left_cuts: Vec<f32>,
    right_cuts: Vec<f32>,
    /// Gap before each character (¼ em between an ideograph and a Latin letter or digit).
    gaps: Vec<f32>,
    /// `breaks[i]`: may a line end before character `i`.
    breaks: Arc<[Break]>,
    /// Prefix sums of the advances less the cuts between marks.
    advance_sums: Vec<f64>,
    gap_sums: Vec<f64>,
    /// Prefix counts of wide characters.
    wide_counts: Vec<u32>,
    /// Prefix sums of the advances of wide characters (their ems, for the spacing a
    /// justified line shows).
    wide_advance_sums: Vec<f64>,
    /// `expandable_counts[j + 1] - expandable_counts[i]`: how many of the characters `i..=j`
    /// may take justification space after them when another character follows on the line.
    expandable_counts: Vec<u32>,
    /// `content_end[i]`: `i` less the whitespace just before it.
    content_end: Vec<usize>,
    /// `code_breaks[i]`: `i` is inside a long code, where it may break as a last resort.
    code_breaks: Vec<bool>,
    /// `last_forced[i]`: the last forced break at or before `i` (0 when none).
    last_forced: Vec<usize>,
}

impl<'t> LineBreaker<'t> {
    /// Measures `text`; `advance(byte_offset, ch)` gives each character's advance (any unit,
    /// the same as the measures later given to [`LineBreaker::lines`]). A wide mark is taken
    /// to be one em wide.
    pub fn new(text: &'t str, mut advance: impl FnMut(usize, char) -> f32) -> Self {
        Self::with_ems(text, |o, c| {
            let a = advance(o, c);
            (a, a)
        })
    }

    /// Measures `text`; `metrics(byte_offset, ch)` gives each character's advance and em
    /// (its font size): a mark is compressed only when its glyph is a full em wide.
    pub fn with_ems(text: &'t str, mut metrics: impl FnMut(usize, char) -> (f32, f32)) -> Self {
        let (offsets, chars): (Vec<usize>, Vec<char>) = text.char_indices().unzip();
        let (advances, ems): (Vec<f32>, Vec<f32>) = offsets
            .iter()
            .zip(&chars)
            .map(|(&o, &c)| metrics(o, c))
            .unzip();
        let mut offsets = offsets;
        offsets.push(text.len());
        let gaps = cjk_latin_gaps(&chars, &advances);
        let breaks = remembered_breaks(text, &chars, &offsets);
        let blanks = compressible_blanks(&chars, &advances, &ems);
        let (left_cuts, right_cuts) = cuts_between_marks(&chars, &blanks);
        let set_advances: Vec<f32> = (0..chars.len())
            .map(|i| advances[i] - left_cuts[i] - right_cuts[i])
            .collect();
        let wide: Vec<bool> = chars.iter().map(|&c| is_wide(c)).collect();
        let wide_advances: Vec<f32> = (0..chars.len())
            .map(|i| if wide[i] { advances[i] } else { 0.0 })
            .collect();
        let expandable: Vec<bool> = (0..chars.len())
            .map(|j| j + 1 < chars.len() && expandable_pair(chars[j], chars[j + 1]))
            .collect();
        LineBreaker {
            text,
            advance_sums: prefix_sums(&set_advances),
            gap_sums: prefix_sums(&gaps),
            wide_counts: prefix_counts(&wide),
            wide_advance_sums: prefix_sums(&wide_advances),
            expandable_counts: prefix_counts(&expandable),
            content_end: content_ends(&chars),
            code_breaks: code_breaks(&chars, &breaks),
            last_forced: last_forced(&breaks),
            chars,
            offsets,
            advances,
            blanks,
            left_cuts,
            right_cuts,
            gaps,
            breaks,
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

    /// Whether justification may add space after character `j` of a line whose visible
    /// characters end at `visible_end`: after a CJK character or a space, or before a CJK
    /// character other than a closing mark (which hugs the Latin text before it) — never
    /// inside a Latin word, inside `——`/`……`, or after the line's last character.
    pub fn expandable(&self, j: usize, visible_end: usize) -> bool {
        j + 1 < visible_end && expandable_pair(self.chars[j], self.chars[j + 1])
    }

    /// Where character `j` of `line` is drawn, its marks compressed. A line's first
    /// character keeps its left half (the glyph box stays inside the type area); its last
    /// loses a closing mark's right half.
    pub fn placement(&self, line: &Line, j: usize) -> Placement {
        let shift_left = if j == line.chars.start {
            0.0
        } else {
            self.left_cuts[j]
        };
        let right = if j + 1 == line.visible.end {
            self.end_cut(j)
        } else {
            self.right_cuts[j]
        };
        Placement {
            shift_left,
            advance: self.advances[j] - shift_left - right,
        }
    }

    /// The unit (the characters between two break opportunities, without trailing
    /// whitespace) that a line boundary at `boundary` splits, if it splits one.
    pub fn split_unit(&self, boundary: usize) -> Option<Range<usize>> {
        if boundary == 0 || boundary >= self.len() || self.break_allowed(boundary) {
            return None;
        }
        let start = (1..boundary)
            .rev()
            .find(|&i| self.break_allowed(i))
            .unwrap_or(0);
        let end = (boundary + 1..self.len())
            .find(|&i| self.break_allowed(i))
            .unwrap_or(self.len());
        Some(start..self.content_end[end].max(start))
    }

    /// The text of `unit` as it is read, the placeholder of a check box left out.
    pub fn unit_text(&self, unit: Range<usize>) -> String {
        self.chars[unit].iter().filter(|&&c| c != OBJECT).collect()
    }

    /// Breaks the paragraph for justified lines: the first line is `first` wide, the
    /// others `rest`.
    pub fn lines(&self, first: f32, rest: f32) -> Vec<Line> {
        self.lines_set(first, rest, Justified::Yes)
    }

    /// Breaks the paragraph for lines set ragged (a table cell, a centred title): no line
    /// is stretched, so only raggedness and the kind of break count.
    pub fn ragged_lines(&self, first: f32, rest: f32) -> Vec<Line> {
        self.lines_set(first, rest, Justified::No)
    }

    fn lines_set(&self, first: f32, rest: f32, justified: Justified) -> Vec<Line> {
        if self.is_empty() {
            return vec![self.make_line(0, 0, true)];
        }
        let ends = self.best_ends(f64::from(first), f64::from(rest), justified);
        let mut lines = Vec::with_capacity(ends.len());
        let mut start = 0;
        for end in ends {
            lines.push(self.make_line(start, end, self.hard_end_at(end)));
            start = end;
        }
        lines
    }

    /// The line ends of least total cost, in order (total fit).
    fn best_ends(&self, first: f64, rest: f64, justified: Justified) -> Vec<usize> {
        let n = self.len();
        let mut cost = vec![f64::INFINITY; n + 1];
        let mut from = vec![0usize; n + 1];
        cost[0] = 0.0;
        let mut starts = Vec::new();
        for end in 1..=n {
            let penalty = self.penalty(end);
            let hard = self.hard_end_at(end);
            self.starts_before(end, first, rest, &mut starts);
            for &start in &starts {
                let measure = if start == 0 { first } else { rest };
                if let Some(line) = self.line_cost(start, end, measure, hard, justified) {
                    let total = cost[start] + line + penalty;
                    if total < cost[end] {
                        (cost[end], from[end]) = (total, start);
                    }
                }
            }
        }
        let mut ends = vec![n];
        let mut end = n;
        while from[end] > 0 {
            end = from[end];
            ends.push(end);
        }
        ends.reverse();
        ends
    }

    /// Puts into `starts` the starts a line ending before `end` may have, latest first: back
    /// to the first that makes it too wide (longer lines only get wider) or to a forced break
    /// (no line crosses one). A first line wider than the others is tried as well.
    fn starts_before(&self, end: usize, first: f64, rest: f64, starts: &mut Vec<usize>) {
        starts.clear();
        for start in (0..end).rev() {
            let measure = if start == 0 { first } else { rest };
            let visible_end = self.content_end[end].max(start);
            let fits = visible_end - start <= 1
                || self.line_width(start, visible_end) <= measure + EPSILON;
            if !fits {
                if first > rest && start > 0 && self.last_forced[start] == 0 {
                    starts.push(0);
                }
                break;
            }
            starts.push(start);
            if self.breaks[start] == Break::Mandatory {
                break;
            }
        }
    }

    fn hard_end_at(&self, end: usize) -> bool {
        end == self.len() || self.breaks[end] == Break::Mandatory
    }

    /// The cost of ending a line before `end` for what kind of break it is.
    fn penalty(&self, end: usize) -> f64 {
        if end == self.len() || self.breaks[end] != Break::Never {
            0.0
        } else if self.code_breaks[end] {
            CODE_BREAK_PENALTY
        } else if self.char_break_forbidden(end) {
            FORBIDDEN_PENALTY
        } else {
            EMERGENCY_PENALTY
        }
    }

    /// The cost of line `start..end` on `measure`, `None` when it is too wide (a line of one
    /// visible character always fits: it has nowhere else to go).
    fn line_cost(
        &self,
        start: usize,
        end: usize,
        measure: f64,
        hard: bool,
        justified: Justified,
    ) -> Option<f64> {
        let visible_end = self.content_end[end].max(start);
        let width = self.line_width(start, visible_end);
        if visible_end - start > 1 && width > measure + EPSILON {
            return None;
        }
        if hard {
            return Some(if self.lone_ideograph(start, visible_end) {
                ORPHAN_PENALTY
            } else {
                1.0
            });
        }
        let slack = (measure - width).max(0.0);
        let wide = self.wide_counts[visible_end] - self.wide_counts[start];
        let badness = if wide > 0 && justified == Justified::Yes {
            // Justified by spreading the slack between characters: what a reader sees is
            // the pitch growing by the space each gap takes, in em.
            // Capped so that no line costs as much as breaking a unit by character.
            let stretch = self.justified_stretch(start, visible_end, slack, wide);
            (100.0 * (stretch / TOLERATED_STRETCH).powi(3)).min(MAX_BADNESS)
        } else {
            // Ragged (Latin text, or any line not justified): a little for the raggedness,
            // never as much as breaking a code.
            10.0 * (slack / measure.max(EPSILON)).min(1.0).powi(2)
        };
        Some((1.0 + badness).powi(2))
    }

    /// The line `start..visible_end` ends a paragraph of several lines with one ideograph
    /// alone on it (孤字: “…有限公 / 司”).
    fn lone_ideograph(&self, start: usize, visible_end: usize) -> bool {
        start > 0 && visible_end == start + 1 && is_ideograph(self.chars[start])
    }

    /// The space justification adds after each expandable character of the line
    /// `start..visible_end` (`wide` of its characters wide), in em of its wide characters:
    /// how far their pitch grows. A line of Latin text with a few ideographs spreads its
    /// slack over those few gaps, so it shows more than slack / width. A line with nowhere to
    /// put the slack is measured by slack / width.
    fn justified_stretch(&self, start: usize, visible_end: usize, slack: f64, wide: u32) -> f64 {
        let last = visible_end.max(start + 1) - 1;
        let gaps = self.expandable_counts[last] - self.expandable_counts[start];
        if gaps == 0 {
            return slack / self.line_width(start, visible_end).max(EPSILON);
        }
        let em =
            (self.wide_advance_sums[visible_end] - self.wide_advance_sums[start]) / f64::from(wide);
        slack / f64::from(gaps) / em.max(EPSILON)
    }

    /// Width of the visible characters `start..visible_end` as one line: the gaps between
    /// them, marks compressed between them and a closing mark at the line end without its
    /// blank half.
    fn line_width(&self, start: usize, visible_end: usize) -> f64 {
        if visible_end <= start {
            return 0.0;
        }
        let span = self.span_width(start, visible_end) + f64::from(self.left_cuts[start]);
        let last = visible_end - 1;
        span - f64::from(self.end_cut(last) - self.right_cuts[last])
    }

    /// What a closing mark at a line end gives up.
    fn end_cut(&self, j: usize) -> f32 {
        match blank_half(self.chars[j]) {
            Some(Blank::Right) => self.blanks[j],
            _ => self.right_cuts[j],
        }
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

    fn make_line(&self, start: usize, end: usize, hard_end: bool) -> Line {
        let visible_end = self.content_end[end].max(start);
        Line {
            bytes: self.offsets[start]..self.offsets[end],
            chars: start..end,
            visible: start..visible_end,
            width: self.line_width(start, visible_end) as f32,
            hard_end,
        }
    }

    fn visible_width(&self, start: usize, end: usize) -> f64 {
        self.line_width(start, self.content_end[end].max(start))
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

/// Space may follow a CJK character or a space, or precede a CJK character other than a
/// closing mark — never inside `——`/`……`.
fn expandable_pair(ch: char, next: char) -> bool {
    if is_paired_mark(ch) && ch == next {
        return false;
    }
    is_wide(ch) || ch == ' ' || (is_wide(next) && !no_start(next))
}

/// Half the advance of each full-width mark with a blank half (one whose glyph is an em
/// wide), else 0.
fn compressible_blanks(chars: &[char], advances: &[f32], ems: &[f32]) -> Vec<f32> {
    chars
        .iter()
        .zip(advances.iter().zip(ems))
        .map(|(&ch, (&advance, &em))| {
            let full_width = em > 0.0 && advance >= 0.9 * em;
            if full_width && blank_half(ch).is_some() {
                advance / 2.0
            } else {
                0.0
            }
        })
        .collect()
}

/// Blanks taken between adjacent marks (clreq: two adjacent marks take 1.5 em): a closing
/// or pause mark before any mark loses its right half; an opening mark after an opening
/// mark loses its left half.
fn cuts_between_marks(chars: &[char], blanks: &[f32]) -> (Vec<f32>, Vec<f32>) {
    let mut left = vec![0.0; chars.len()];
    let mut right = vec![0.0; chars.len()];
    for i in 1..chars.len() {
        if blanks[i - 1] == 0.0 || blanks[i] == 0.0 {
            continue;
        }
        match (blank_half(chars[i - 1]), blank_half(chars[i])) {
            (Some(Blank::Right), _) => right[i - 1] = blanks[i - 1],
            (Some(Blank::Left), Some(Blank::Left)) => left[i] = blanks[i],
            _ => {}
        }
    }
    (left, right)
}

/// `i` less the whitespace just before it, for every `i` in `0..=chars.len()`.
fn content_ends(chars: &[char]) -> Vec<usize> {
    let mut ends = Vec::with_capacity(chars.len() + 1);
    ends.push(0);
    for i in 1..=chars.len() {
        let end = if chars[i - 1].is_whitespace() {
            ends[i - 1]
        } else {
            i
        };
        ends.push(end);
    }
    ends
}

/// Positions inside a long code (a run of at least [`CODE_MIN_LEN`] ASCII letters and
/// digits holding a digit) with [`CODE_MIN_PIECE`] characters on each side and no break
/// opportunity of its own.
fn code_breaks(chars: &[char], breaks: &[Break]) -> Vec<bool> {
    let mut inside = vec![false; chars.len() + 1];
    let mut start = 0;
    while start < chars.len() {
        let end = (start..chars.len())
            .find(|&j| !chars[j].is_ascii_alphanumeric())
            .unwrap_or(chars.len());
        let run = &chars[start..end];
        if run.len() >= CODE_MIN_LEN && run.iter().any(char::is_ascii_digit) {
            for i in start + CODE_MIN_PIECE..=end - CODE_MIN_PIECE {
                inside[i] = breaks[i] == Break::Never;
            }
        }
        start = end + 1;
    }
    inside
}

/// For every position, the last forced break at or before it (0 when none).
fn last_forced(breaks: &[Break]) -> Vec<usize> {
    let mut last = 0;
    breaks
        .iter()
        .enumerate()
        .map(|(i, b)| {
            if *b == Break::Mandatory {
                last = i;
            }
            last
        })
        .collect()
}

fn prefix_counts(flags: &[bool]) -> Vec<u32> {
    let mut counts = Vec::with_capacity(flags.len() + 1);
    let mut total = 0u32;
    counts.push(total);
    for &f in flags {
        total += u32::from(f);
        counts.push(total);
    }
    counts
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
