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
        .lines(width, width)
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
    let lines = breaker.lines(10.0, 10.0);
    assert_eq!(lines.len(), 15);
    assert!(lines.iter().all(|l| l.width <= 10.0));
}

#[test]
fn forced_breaks_end_lines_and_widths_exclude_trailing_spaces() {
    let breaker = LineBreaker::new("ab cd\nef", em_advance);
    let lines = breaker.lines(100.0, 100.0);
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
    assert_eq!(breaker.lines(100.0, 100.0)[0].width, 3.0);
}

#[test]
fn a_closing_mark_at_the_line_end_gives_up_its_blank_half() {
    // Ten ideographs and a full stop take 10.5 em with the stop compressed: it stays up
    // instead of pulling 十 down.
    let lines = line_texts("一二三四五六七八九十。一二", 10.5);
    assert_eq!(lines, ["一二三四五六七八九十。", "一二"]);
    let breaker = LineBreaker::new("一二三四五六七八九十。一二", em_advance);
    assert_eq!(breaker.lines(10.5, 10.5)[0].width, 10.5);
}

#[test]
fn adjacent_marks_take_one_and_a_half_em() {
    let breaker = LineBreaker::new("甲（一）。“乙”", em_advance);
    let line = &breaker.lines(100.0, 100.0)[0];
    // 甲 1, （ 1, 一 1, ）。“ 2 (a closing mark before a mark gives up half), 乙 1, ” at
    // the line end 0.5.
    assert_eq!(line.width, 6.5);
    let closing = breaker.placement(line, 3);
    assert_eq!((closing.shift_left, closing.advance), (0.0, 0.5));
    let opening = LineBreaker::new("“（甲）”", em_advance);
    let line = &opening.lines(100.0, 100.0)[0];
    let inner = opening.placement(line, 1);
    assert_eq!((inner.shift_left, inner.advance), (0.5, 0.5));
}

#[test]
fn an_opening_mark_starting_a_line_keeps_its_width() {
    let breaker = LineBreaker::new("一二三四五六七八九十（甲乙）", em_advance);
    let lines = breaker.lines(10.0, 10.0);
    assert_eq!(lines[1].chars.start, 10);
    let place = breaker.placement(&lines[1], 10);
    assert_eq!((place.shift_left, place.advance), (0.0, 1.0));
    assert_eq!(lines[1].width, 3.5);
}

#[test]
fn total_fit_moves_a_character_down_rather_than_stretch_one_line() {
    // First fit fills the first line and leaves 2 em of the second empty before the word;
    // over the whole paragraph one character moves down and each line keeps 1 em.
    let text = "一二三四五六七八九十甲乙丙丁戊己庚辛abcdef子丑";
    let lines = line_texts(text, 10.0);
    assert_eq!(
        lines,
        ["一二三四五六七八九", "十甲乙丙丁戊己庚辛", "abcdef子丑"]
    );
}

#[test]
fn a_long_code_breaks_by_character_only_instead_of_a_stretched_line() {
    let uscc = "91110108MA01C2XM4Y";
    let text = format!("我公司北京云声有限公司（统一社会信用代码：{uscc}）持有许可证。");
    let breaker = LineBreaker::new(&text, em_advance);
    let lines = breaker.lines(24.0, 24.0);
    let first = &text[lines[0].bytes.clone()];
    assert!(first.ends_with("代码：911101"), "{first}");
    assert_eq!(lines[0].width, 24.0);
    // The line boundary splits the code: the unit it splits reads whole.
    let unit = breaker.split_unit(lines[1].chars.start).unwrap();
    assert_eq!(breaker.unit_text(unit), format!("{uscc}）"));
    assert_eq!(breaker.split_unit(lines[0].chars.start), None);
    // With room for a line of 21 em, stretching by a tenth is cheaper: the code stays whole.
    let lines = breaker.lines(22.5, 22.5);
    assert!(text[lines[0].bytes.clone()].ends_with("代码："));
}

#[test]
fn a_line_of_latin_text_with_few_ideographs_shows_its_slack_on_few_gaps() {
    // The same slack, an em on a line ten ems wide: spread over the nine gaps of ten
    // ideographs it adds a ninth of an em to each; on a line of two ideographs and a Latin
    // word, only the two gaps after the ideographs take it (none inside the word).
    let solid = LineBreaker::new("一二三四五六七八九十", em_advance);
    let pure = solid.justified_stretch(0, 10, 1.0, 10);
    assert!((pure - 1.0 / 9.0).abs() < 1e-9, "{pure}");
    let mixed = LineBreaker::new("一二abcdefghijklmnop", em_advance);
    assert_eq!(mixed.line_width(0, 18), 10.25);
    let spread = mixed.justified_stretch(0, 18, 1.0, 2);
    assert!((spread - 0.5).abs() < 1e-9, "{spread}");
    // What slack / width would have said of both lines.
    assert!(1.0 / mixed.line_width(0, 18) < pure);
}

#[test]
fn words_without_digits_are_not_codes() {
    let text = "一二三四五六七八九十一二三四五六七八九十abcdefghijklmnop";
    let lines = line_texts(text, 24.0);
    assert_eq!(lines[1], "abcdefghijklmnop");
}

/// The fewest forbidden breaks any sequence of lines that fit needs (a line of one visible
/// character always fits; no line crosses a forced break).
fn fewest_forbidden(breaker: &LineBreaker, width: f64, forbidden: impl Fn(usize) -> bool) -> usize {
    let n = breaker.len();
    let mut fewest = vec![usize::MAX; n + 1];
    fewest[0] = 0;
    for end in 1..=n {
        let mut starts = Vec::new();
        breaker.starts_before(end, width, width, &mut starts);
        for start in starts {
            if fewest[start] != usize::MAX {
                let count = fewest[start] + usize::from(forbidden(end));
                fewest[end] = fewest[end].min(count);
            }
        }
    }
    fewest[n]
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
        let joined: String = breaker.lines(width, width).iter().map(|l| &text[l.bytes.clone()]).collect();
        prop_assert_eq!(joined, text);
    }

    #[test]
    fn no_line_is_wider_than_the_measure_unless_one_glyph_is(
        text in paragraph_text(), width in 0.5f32..30.0,
    ) {
        let breaker = LineBreaker::new(&text, em_advance);
        for line in breaker.lines(width, width) {
            let glyphs = line.visible.len();
            prop_assert!(line.width <= width + 1e-3 || glyphs == 1, "{line:?}");
        }
    }

    #[test]
    fn forbidden_breaks_are_as_few_as_any_breaking_allows(
        text in paragraph_text(), width in 0.5f32..30.0,
    ) {
        let breaker = LineBreaker::new(&text, em_advance);
        let lines = breaker.lines(width, width);
        let forbidden = |end: usize| breaker.penalty(end) >= FORBIDDEN_PENALTY;
        let taken = lines.iter().filter(|l| forbidden(l.chars.end)).count();
        prop_assert_eq!(taken, fewest_forbidden(&breaker, f64::from(width), forbidden));
    }
}

#[test]
fn a_last_line_never_holds_one_ideograph_alone() {
    // Nine ideographs in a cell eight wide: “…有限公 / 司” would leave 司 alone.
    let text = "北京某科技有限公司";
    let lines = LineBreaker::new(text, em_advance).ragged_lines(8.0, 8.0);
    let texts: Vec<&str> = lines.iter().map(|l| &text[l.bytes.clone()]).collect();
    assert_eq!(texts, ["北京某科技有限", "公司"]);
    // A justified paragraph gives a line of ordinary length a little more pitch instead.
    let text = "我公司承诺依法经营并接受通信管理局的监督检查如实报送年报材料及相关文件司";
    let lines = LineBreaker::new(text, em_advance).lines(35.0, 35.0);
    let last = &text[lines.last().unwrap().bytes.clone()];
    assert_eq!(lines.len(), 2);
    assert!(last.chars().count() >= 2, "{last}");
    // A line of one ideograph is still fine when it is the only line.
    assert_eq!(LineBreaker::new("司", em_advance).lines(8.0, 8.0).len(), 1);
}
