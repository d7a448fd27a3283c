use proptest::prelude::*;

use super::*;

/// One em for wide characters, half an em for the rest, zero for a newline.
fn em_advance(_: usize, ch: char) -> f32 {
    if ch == '\n' {
        0.0
    } else if is_wide(ch) {
        1.0
    } else {
        0.5
    }
}

/// The text with `|` at every allowed break.
fn marked(text: &str) -> String {
    let breaker = LineBreaker::new(text, em_advance);
    let mut out = String::new();
    for i in 0..breaker.len() {
        if i > 0 && breaker.break_allowed(i) {
            out.push('|');
        }
        out.push(breaker.char_at(i));
    }
    out
}

fn line_texts(text: &str, width: f32) -> Vec<String> {
    let breaker = LineBreaker::new(text, em_advance);
    breaker
        .lines(|_| width)
        .iter()
        .map(|l| text[l.bytes.clone()].to_string())
        .collect()
}

#[test]
fn reference_break_vectors() {
    assert_eq!(marked("他说：“你好。”然后"), "他|说：|“你|好。”|然|后");
    assert_eq!(marked("the company’s policy"), "the |company’s |policy");
    assert_eq!(marked("张三·李四"), "张|三·李|四");
    assert_eq!(marked("北京—上海"), "北|京—|上|海");
    assert_eq!(marked("公司名称/Company Name"), "公|司|名|称/Company |Name");
    assert_eq!(marked("破折号——连接"), "破|折|号|——|连|接");
    assert_eq!(marked("省略号……结束"), "省|略|号……|结|束");
}

#[test]
fn numbers_keep_their_units_and_addresses_stay_whole() {
    assert_eq!(marked("约90日内"), "约|90日|内");
    assert_eq!(marked("增长30%。"), "增|长|30%。");
    assert_eq!(marked("于2027年"), "于|2027年");
    assert_eq!(
        marked("见 https://a.example/x-y/z 页"),
        "见 |https://a.example/x-y/z |页"
    );
    assert_eq!(marked("mail a-b@c.example ok"), "mail |a-b@c.example |ok");
}

#[test]
fn push_in_pulls_the_previous_character_down() {
    let lines = line_texts("一二三四五六七八九十，一二三", 10.0);
    assert_eq!(lines, ["一二三四五六七八九", "十，一二三"]);
}

#[test]
fn opening_bracket_never_ends_a_line() {
    let lines = line_texts("一二三四五六七八九“十”", 10.0);
    assert_eq!(lines, ["一二三四五六七八九", "“十”"]);
}

#[test]
fn overlong_word_breaks_by_character_inside_the_measure() {
    let word = "x".repeat(300);
    let breaker = LineBreaker::new(&word, em_advance);
    let lines = breaker.lines(|_| 10.0);
    assert_eq!(lines.len(), 15);
    assert!(lines.iter().all(|l| l.width <= 10.0));
}

#[test]
fn forced_breaks_end_lines_and_widths_exclude_trailing_spaces() {
    let breaker = LineBreaker::new("ab cd\nef", em_advance);
    let lines = breaker.lines(|_| 100.0);
    assert_eq!(lines.len(), 2);
    assert!(lines[0].hard_end && lines[1].hard_end);
    assert_eq!(lines[0].width, 2.5);
    assert_eq!(breaker.min_width(), 1.0);
    assert_eq!(breaker.max_width(), 2.5);
}

#[test]
fn cjk_latin_gap_is_a_quarter_em_inside_the_line_only() {
    let breaker = LineBreaker::new("中A中", em_advance);
    assert_eq!(breaker.gap_before(1), 0.25);
    assert_eq!(breaker.gap_before(2), 0.25);
    assert_eq!(breaker.lines(|_| 100.0)[0].width, 3.0);
}

fn paragraph_text() -> impl Strategy<Value = String> {
    let alphabet: Vec<char> = "中文字国，。、；：“”（）《》abc xyz12—…%年\n·"
        .chars()
        .collect();
    proptest::collection::vec(proptest::sample::select(alphabet), 0..200)
        .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #[test]
    fn lines_give_back_the_text(text in paragraph_text(), width in 0.5f32..30.0) {
        let breaker = LineBreaker::new(&text, em_advance);
        let joined: String = breaker.lines(|_| width).iter().map(|l| &text[l.bytes.clone()]).collect();
        prop_assert_eq!(joined, text);
    }

    #[test]
    fn no_line_is_wider_than_the_measure_unless_one_glyph_is(
        text in paragraph_text(), width in 0.5f32..30.0,
    ) {
        let breaker = LineBreaker::new(&text, em_advance);
        for line in breaker.lines(|_| width) {
            let glyphs = line.visible.len();
            prop_assert!(line.width <= width + 1e-3 || glyphs == 1, "{line:?}");
        }
    }

    #[test]
    fn a_line_starts_with_a_no_start_character_only_without_a_legal_break(
        text in paragraph_text(), width in 0.5f32..30.0,
    ) {
        let breaker = LineBreaker::new(&text, em_advance);
        let lines = breaker.lines(|_| width);
        for pair in lines.windows(2) {
            let (prev, line) = (&pair[0], &pair[1]);
            if prev.hard_end || line.chars.is_empty() || !no_start(breaker.char_at(line.chars.start)) {
                continue;
            }
            let legal = (prev.chars.start + 1..=prev.chars.end)
                .any(|j| breaker.break_allowed(j) || !breaker.char_break_forbidden(j));
            prop_assert!(!legal, "{prev:?} then {line:?}");
        }
    }
}
