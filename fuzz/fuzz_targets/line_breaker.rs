//! Fuzzes `LineBreaker::lines` with any text, any advances and any first and later line
//! widths, and checks
//! what every caller relies on: the lines cover the text in order without loss or overlap,
//! each makes progress, ranges agree with each other, and no line is wider than its measure
//! unless it holds a single visible character.
#![no_main]

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use licpack::layout::{Line, LineBreaker};

/// Slack for float sums (the breaker's own tolerance is 1e-3).
const EPSILON: f32 = 1e-2;

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    text: &'a str,
    /// Advance of character `i` is `advances[i % len] / 8` (0 to ~32 units; 1.0 if empty).
    advances: Vec<u8>,
    /// Measure of the first line and of the others: `first / 4` and `rest / 4` (0 to ~64).
    first: u8,
    rest: u8,
}

impl Input<'_> {
    fn advance(&self, index: usize) -> f32 {
        match self.advances.len() {
            0 => 1.0,
            n => f32::from(self.advances[index % n]) / 8.0,
        }
    }

    fn width(&self, line: usize) -> f32 {
        f32::from(if line == 0 { self.first } else { self.rest }) / 4.0
    }
}

fuzz_target!(|input: Input| {
    let mut index = 0;
    let breaker = LineBreaker::new(input.text, |_, _| {
        index += 1;
        input.advance(index - 1)
    });
    let lines = breaker.lines(input.width(0), input.width(1));
    check_cover(input.text, &breaker, &lines);
    for (i, line) in lines.iter().enumerate() {
        check_line(&breaker, line, input.width(i));
    }
    let (min, max) = (breaker.min_width(), breaker.max_width());
    assert!(
        min.is_finite() && max.is_finite() && min <= max + EPSILON,
        "{min} > {max}"
    );
});

/// The lines tile the text: byte and char ranges start at 0, touch, end at the end.
fn check_cover(text: &str, breaker: &LineBreaker, lines: &[Line]) {
    assert!(!lines.is_empty());
    let (mut byte, mut chr) = (0, 0);
    for line in lines {
        assert_eq!(line.bytes.start, byte, "{lines:?}");
        assert_eq!(line.chars.start, chr, "{lines:?}");
        assert!(text.is_char_boundary(line.bytes.end));
        assert_eq!(text[line.bytes.clone()].chars().count(), line.chars.len());
        if !text.is_empty() {
            assert!(!line.chars.is_empty(), "no progress: {lines:?}");
        }
        byte = line.bytes.end;
        chr = line.chars.end;
    }
    assert_eq!((byte, chr), (text.len(), breaker.len()));
    assert!(lines.last().is_some_and(|l| l.hard_end));
}

/// Visible part: a prefix of the line, only whitespace after it; width within the measure.
fn check_line(breaker: &LineBreaker, line: &Line, measure: f32) {
    assert_eq!(line.visible.start, line.chars.start);
    assert!(line.visible.end <= line.chars.end);
    for j in line.visible.end..line.chars.end {
        assert!(breaker.char_at(j).is_whitespace(), "{line:?}");
    }
    if line.visible.end > line.visible.start {
        assert!(!breaker.char_at(line.visible.end - 1).is_whitespace());
    }
    assert!(line.width.is_finite() && line.width >= -EPSILON, "{line:?}");
    if line.visible.len() > 1 {
        assert!(
            line.width <= measure + EPSILON,
            "line {line:?} wider than {measure}: {:?}",
            &breaker.text()[line.bytes.clone()]
        );
    }
}
