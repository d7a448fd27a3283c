//! Company text is data, never markup: whatever a client writes as the company name, its
//! English name or a material note either comes back verbatim from the finished PDF's text
//! (through its ToUnicode maps, as copy/paste gives it) or is refused with an error that names
//! the file, line, field and the fix. Markdown and Tera metacharacters, full-width forms,
//! control, zero-width and bidi characters are all drawn.

use crate::common;

use std::path::Path;
use std::sync::OnceLock;

use licpack::packet::Engine;
use licpack::plan::{plan, Selection};
use licpack::templates::Lang;
use proptest::prelude::*;

use common::*;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(None).expect("the built-in library loads"))
}

fn sample() -> String {
    std::fs::read_to_string(repo().join("samples/callcenter-renewal.toml")).unwrap()
}

/// The renewal sample with `value` (as a TOML string) for `name`, `name_en` and the note of a
/// material, so one packet shows all three.
fn company_file(name: &str, name_en: &str, note: &str) -> String {
    let quoted = |s: &str| toml::Value::String(s.to_owned()).to_string();
    sample()
        .replace("\"北京云声科技有限公司\"", &quoted(name))
        .replace(
            "\"Beijing Yunsheng Technology Co., Ltd.\"",
            &quoted(name_en),
        )
        .replace(
            "business-license-copy = \"ready\"",
            &format!(
                "business-license-copy = {{ status = \"missing\", note = {} }}",
                quoted(note)
            ),
        )
}

/// The PDF text of every packet the file yields, or the loader's diagnostics rendered.
fn packet_text(dir: &Path, file: &str) -> Result<String, Vec<licpack::diag::Diagnostic>> {
    let path = dir.join("client.toml");
    std::fs::write(&path, file).unwrap();
    let engine = engine();
    let company = engine.load_company(&path).map_err(|d| d.0)?;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let plans = plan(&company, &engine.catalog, today, &Selection::default()).unwrap();
    let mut text = String::new();
    for p in &plans {
        let built = engine.build(p, Lang::Bilingual).unwrap();
        let pdf = dir.join(format!("{}.pdf", built.file_stem));
        std::fs::write(&pdf, &built.bytes).unwrap();
        text.push_str(&pdf_pages_text(&pdf).concat());
    }
    Ok(text)
}

/// Why the loader must refuse `s`, as a phrase its message contains; `None` when `s` is fine.
fn expected_refusal(s: &str) -> Option<&'static str> {
    let invisible = |c: char| {
        matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
    };
    if s.trim().is_empty() {
        Some("must not be empty")
    } else if s
        .chars()
        .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
    {
        Some("control character")
    } else if s.chars().any(invisible) {
        Some("invisible character")
    } else if s.trim() != s {
        Some("spaces at the start or end")
    } else {
        None
    }
}

fn printable_char() -> impl Strategy<Value = char> {
    prop_oneof![
        6 => prop::sample::select("*_#|[]<>{}\\`!&;~-+.()%'\"=:/@$^".chars().collect::<Vec<_>>()),
        4 => prop::sample::select("北京云声科技有限公司承诺书，。、；：？！“”《》（）【】".chars().collect::<Vec<_>>()),
        3 => prop::sample::select("（）＃＊｜［］＜＞｛｝＼１２ＡＢａｂ".chars().collect::<Vec<_>>()),
        3 => prop::char::range('a', 'z'),
        2 => prop::sample::select(vec![' ', ' ', '\u{3000}', '\u{a0}']),
    ]
}

fn refused_char() -> impl Strategy<Value = char> {
    prop::sample::select(vec![
        '\n', '\t', '\r', '\u{0}', '\u{1b}', '\u{7f}', '\u{85}', '\u{2028}', '\u{2029}',
        '\u{200B}', '\u{200D}', '\u{202E}', '\u{2066}', '\u{FEFF}', '\u{00AD}',
    ])
}

/// Printable text with markup sequences (`{{`, `{%`, `**`, `|`, `<b>`, a leading `#` or
/// `1.`) arising from the alphabet; one string in six also gets a control or invisible
/// character at some position, which the loader must refuse.
fn hostile_text() -> impl Strategy<Value = String> {
    let printable = prop::collection::vec(printable_char(), 1..40);
    let bad = prop::option::weighted(1.0 / 6.0, (refused_char(), any::<prop::sample::Index>()));
    (printable, bad).prop_map(|(mut chars, bad)| {
        if let Some((c, at)) = bad {
            let i = at.index(chars.len() + 1);
            chars.insert(i, c);
        }
        chars.into_iter().collect()
    })
}

/// The text outside the running header (`NAME · B2-20220318 · …`), so that a value printed
/// literally there cannot hide one that markup swallowed in the body.
fn body_text(text: &str, name: &str) -> String {
    compact(text).replace(&format!("{}·B2-20220318·", compact(name)), "")
}

/// How often each value shows in the body of the packet built with plain placeholders: a
/// hostile value must show at least as often.
fn expected_counts() -> [usize; 3] {
    static COUNTS: OnceLock<[usize; 3]> = OnceLock::new();
    *COUNTS.get_or_init(|| {
        let (name, name_en, note) = ("甲乙丙丁", "Qzxv Jkwq Ltd", "戊己庚辛");
        let dir = tempfile::tempdir().unwrap();
        let text = packet_text(dir.path(), &company_file(name, name_en, note)).unwrap();
        let body = body_text(&text, name);
        let counts = [name, name_en, note].map(|s| body.matches(&compact(s)).count());
        assert!(counts.iter().all(|n| *n > 0), "{counts:?}");
        counts
    })
}

fn check(name: &str, name_en: &str, note: &str) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let refusals: Vec<(&str, &str)> = [("company.name", name), ("company.name_en", name_en)]
        .into_iter()
        .chain([("materials.business-license-copy.note", note)])
        .filter_map(|(field, s)| expected_refusal(s).map(|why| (field, why)))
        .collect();
    match packet_text(dir.path(), &company_file(name, name_en, note)) {
        Ok(text) => {
            prop_assert!(refusals.is_empty(), "accepted, but expected {refusals:?}");
            let body = body_text(&text, name);
            for (s, expected) in [name, name_en, note].into_iter().zip(expected_counts()) {
                let found = body.matches(&compact(s)).count();
                prop_assert!(
                    found >= expected,
                    "{s:?} is in the PDF text {found} times, not {expected}"
                );
            }
        }
        Err(diags) => {
            prop_assert!(!refusals.is_empty(), "refused: {diags:?}");
            for (field, why) in refusals {
                let d = diags.iter().find(|d| d.field.as_deref() == Some(field));
                let d = d.ok_or_else(|| TestCaseError::fail(format!("no error for {field}")))?;
                prop_assert!(d.message.contains(why), "{field}: {} ({why})", d.message);
                prop_assert!(d.line > 0 && d.column > 0, "{field}: unlocated");
                prop_assert!(d.hint.is_some(), "{field}: no fix given");
            }
        }
    }
    Ok(())
}

proptest! {
    // Each case builds a 14-page packet and reads its text back: ~0.1 s.
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn company_text_reaches_the_pdf_verbatim_or_is_refused(
        name in hostile_text(),
        name_en in hostile_text(),
        note in hostile_text(),
    ) {
        check(&name, &name_en, &note)?;
    }
}

/// Hand-picked cases the generator may miss: whole markup constructs.
#[test]
fn markup_in_company_text_is_printed_not_obeyed() {
    let cases = [
        "{{ company.name }}云声",
        "{% if true %}x{% endif %}",
        "**粗体** _斜体_ `代码`",
        "# 标题 | 表格 | 列",
        "1. 列表",
        "<b>云声</b> &amp; [链接](http://example.com)",
        "反斜杠\\在此\\|",
        "全角＃＊｜［］与半角#*|[]",
    ];
    for s in cases {
        check(s, s, s).unwrap_or_else(|e| panic!("{s:?}: {e}"));
    }
}
