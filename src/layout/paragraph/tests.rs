use super::*;
use crate::document::{Inline, Span};
use crate::fonts::FontBook;
use crate::layout::style::Style;
use crate::layout::text::{shape, SpanStyles};

fn set(text: &str, width: f32, align: Align) -> Vec<LaidLine> {
    let style = Style::letter();
    let styles = SpanStyles {
        primary: style.body,
        secondary: style.secondary,
    };
    let inlines = vec![Inline::Text(Span::plain(text))];
    let shaped = shape(&inlines, styles, FontBook::builtin()).unwrap();
    set_lines(
        &shaped,
        LineSetting {
            x: 100.0,
            width,
            align,
            indent: 32.0,
        },
    )
}

fn runs(lines: &[LaidLine]) -> Vec<&GlyphRun> {
    lines
        .iter()
        .flat_map(|l| &l.items)
        .filter_map(|i| match i {
            Item::Text(r) => Some(r),
            _ => None,
        })
        .collect()
}

#[test]
fn justified_cjk_line_ends_at_the_right_edge() {
    let text = "本公司郑重承诺，所提交的全部申请材料真实、准确、完整，如有虚假，愿承担由此产生的一切法律责任。";
    let lines = set(text, 300.0, Align::Justify);
    assert!(lines.len() > 2);
    for line in &lines[..lines.len() - 1] {
        let last = runs(std::slice::from_ref(line)).into_iter().last().unwrap();
        let right = last.origin.x.0 + last.width.0;
        assert!((right - 400.0).abs() < 0.05, "line ends at {right}");
    }
    let last_line = runs(&lines[lines.len() - 1..]);
    let end = last_line.last().map(|r| r.origin.x.0 + r.width.0).unwrap();
    assert!(end < 399.0, "last line is left-aligned, ends at {end}");
}

#[test]
fn runs_give_back_the_text_without_added_spaces() {
    let text = "公司名称ABC Technology有限公司，成立于2020年，注册资本10,000,000元。";
    let lines = set(text, 200.0, Align::Justify);
    let joined: String = runs(&lines).iter().map(|r| r.text.as_str()).collect();
    let expected: String = text.chars().filter(|c| *c != ' ').collect();
    assert_eq!(joined.replace(' ', ""), expected);
    assert!(joined.len() >= expected.len() && joined.len() <= text.len());
}

#[test]
fn cjk_latin_gap_is_positional() {
    let lines = set("中文ABC中文", 400.0, Align::Left);
    let runs = runs(&lines);
    assert_eq!(
        runs.iter().map(|r| r.text.as_str()).collect::<Vec<_>>(),
        ["中文", "ABC", "中文"]
    );
    let gap = runs[1].origin.x.0 - (runs[0].origin.x.0 + runs[0].width.0);
    assert!((gap - 4.0).abs() < 0.01, "quarter em of 16 pt, got {gap}");
}

#[test]
fn long_unbreakable_word_breaks_by_character_inside_the_measure() {
    let word = "A".repeat(300);
    let lines = set(&word, 200.0, Align::Justify);
    assert!(lines.len() > 5);
    for run in runs(&lines) {
        assert!(run.origin.x.0 >= 100.0 && run.origin.x.0 + run.width.0 <= 300.01);
    }
    let joined: String = runs(&lines).iter().map(|r| r.text.as_str()).collect();
    assert_eq!(joined, word);
}

#[test]
fn centred_line_is_centred_and_checkbox_is_drawn() {
    let style = Style::checklist();
    let styles = SpanStyles {
        primary: style.body,
        secondary: style.secondary,
    };
    let inlines = vec![
        Inline::CheckBox(CheckState::Ready),
        Inline::Text(Span::plain("营业执照")),
    ];
    let shaped = shape(&inlines, styles, FontBook::builtin()).unwrap();
    let lines = set_lines(
        &shaped,
        LineSetting {
            x: 0.0,
            width: 100.0,
            align: Align::Center,
            indent: 0.0,
        },
    );
    let items = &lines[0].items;
    assert!(matches!(items[0], Item::Rect(_)) && matches!(items[1], Item::Path(_)));
    let Item::Text(run) = &items[2] else {
        panic!("text after the box")
    };
    assert_eq!(run.text, "营业执照");
    let left = run.origin.x.0 - 10.5;
    assert!((left - (100.0 - (run.origin.x.0 + run.width.0))).abs() < 0.05);
}
