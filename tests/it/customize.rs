//! End-to-end: a user's template directory changes what it says it changes and nothing else,
//! adds materials, letters, licence types and procedures without code, and every kind of
//! mistake in it is reported at the user's file and line with a hint — never a panic.

use crate::common;

use std::path::{Path, PathBuf};

use common::*;

const RENEWAL: &str = "samples/callcenter-renewal.toml";

fn generate_with(company: &Path, out: &Path, templates: Option<&Path>) -> std::process::Output {
    match templates {
        Some(t) => generate(company, out, &["--templates", t.to_str().unwrap()]),
        None => generate(company, out, &[]),
    }
}

/// Ejects built-in `names` into a fresh directory.
fn ejected(names: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in names {
        let o = licpack(&[
            "templates",
            "eject",
            name,
            "--to",
            dir.path().to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    dir
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn append(path: &Path, extra: &str) {
    let mut text = std::fs::read_to_string(path).unwrap_or_default();
    text.push_str(extra);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The only PDF generated for `company` with `templates`.
fn packet(company: &Path, templates: Option<&Path>) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let o = generate_with(company, out.path(), templates);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdfs = pdfs_in(out.path());
    assert_eq!(pdfs.len(), 1);
    let pdf = pdfs[0].clone();
    (out, pdf)
}

fn check(dir: &Path) -> (bool, String) {
    let o = licpack(&["templates", "check", dir.to_str().unwrap()]);
    (o.status.success(), stderr(&o))
}

#[test]
fn list_shows_builtin_overridden_and_added_files() {
    let dir = ejected(&["renewal.toml"]);
    append(&dir.path().join("documents/letters/extra.md.tera"), "# x\n");
    let o = licpack(&[
        "templates",
        "list",
        "--templates",
        dir.path().to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let out = stdout(&o);
    let line = |name: &str| {
        out.lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} not listed:\n{out}"))
            .to_string()
    };
    assert!(line("catalog/procedures/renewal.toml").starts_with("overridden"));
    assert!(line("documents/letters/extra.md.tera").starts_with("added"));
    assert!(line("documents/checklist.md.tera").starts_with("built-in"));
}

#[test]
fn eject_refuses_to_overwrite_an_edited_file_without_force() {
    let dir = ejected(&["documents/checklist.md.tera"]);
    let file = dir.path().join("documents/checklist.md.tera");
    std::fs::write(&file, "mine").unwrap();
    let to = dir.path().to_str().unwrap();
    let o = licpack(&["templates", "eject", "--to", to]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
    assert!(
        !dir.path().join("catalog").exists(),
        "a refused eject writes nothing"
    );
    let o = licpack(&["templates", "eject", "--to", to, "--force"]);
    assert!(o.status.success());
    assert_ne!(std::fs::read_to_string(&file).unwrap(), "mine");
}

#[test]
fn overriding_one_letter_changes_only_that_document() {
    let company = repo().join(RENEWAL);
    let dir = ejected(&["commitment-security.md.tera"]);
    let letter = dir
        .path()
        .join("documents/letters/commitment-security.md.tera");
    // Same length, so the page count (and every footer) stays.
    edit(&letter, "郑重承诺履行", "庄严承诺履行");
    let (_a, before) = packet(&company, None);
    let (_b, after) = packet(&company, Some(dir.path()));
    let (before, after) = (pdf_pages_text(&before), pdf_pages_text(&after));
    assert_eq!(before.len(), after.len());
    let changed: Vec<usize> = (0..before.len())
        .filter(|i| before[*i] != after[*i])
        .collect();
    assert!(!changed.is_empty(), "the override had no effect");
    for i in &changed {
        let page = compact(&after[*i]);
        assert!(
            page.contains("庄严承诺履行") || page.contains("网络与信息安全承诺书"),
            "page {} changed but is not the security letter:\n{page}",
            i + 1
        );
    }
    assert!(compact(&after.concat()).contains("庄严承诺履行"));
}

const NEW_MATERIAL: &str = r#"
[[materials]]
id = "agency-power-of-attorney"
name = { zh = "代理机构授权委托书", en = "Power of attorney for the filing agency" }
source = "common practice"
confidence = "M"
"#;

#[test]
fn a_material_added_to_a_user_procedure_is_on_the_checklist() {
    let dir = ejected(&["catalog/procedures/renewal.toml"]);
    append(
        &dir.path().join("catalog/procedures/renewal.toml"),
        NEW_MATERIAL,
    );
    let (ok, err) = check(dir.path());
    assert!(ok || !err.contains("renewal.toml"), "{err}");
    let (_out, pdf) = packet(&repo().join(RENEWAL), Some(dir.path()));
    let text = pdf_text_compact(&pdf);
    assert!(text.contains("代理机构授权委托书"), "{text}");
    assert!(text.contains(&compact("Power of attorney for the filing agency")));
}

const DRONE_SERVICE: &str = r#"
[[service]]
id = "drone-telemetry"
code = "B29"
name = { zh = "无人机遥测数据服务业务", en = "Drone telemetry data service" }
class = 2
validity_years = 5
min_capital_nationwide = 10_000_000
min_capital_provincial = 1_000_000
source = "common practice"
"#;

const DRONE_LETTER: &str = r#"
[[letter]]
id = "airspace-commitment"
title = { zh = "空域安全承诺书", en = "Letter of Commitment on Airspace Safety" }
template = "documents/letters/airspace-commitment.md.tera"
source = "common practice"
"#;

const DRONE_PROCEDURE: &str = r#"
id = "telemetry-filing"
name = { zh = "遥测数据备案", en = "Telemetry data filing" }
summary = { zh = "每年备案一次遥测数据处理情况。", en = "File the telemetry data handling once a year." }
basis = { zh = "示例规则", en = "Example rule" }
source = "common practice"
applies = { services = ["drone-telemetry"], why = { zh = "仅适用于遥测数据服务。", en = "Telemetry data services only." }, why_not = { zh = "非遥测数据服务不适用。", en = "Not for other services." }, source = "common practice" }
deadline = { kind = "before-expiry", submit_days_before = 30, prepare_months_before = 2, source = "common practice" }
letters = ["airspace-commitment"]

[[materials]]
id = "telemetry-data-report"
name = { zh = "遥测数据处理报告", en = "Telemetry data handling report" }
source = "common practice"
"#;

const DRONE_TEMPLATE: &str = r#"{% import "documents/macros.md.tera" as m -%}
# {{ letter.title.zh }}

<div class="noindent">

{{ authority.zh }}：

</div>

我公司{{ company.name }}承诺遵守空域管理规定。

{{ m::signature(company=company, today=today, en=false) }}
"#;

#[test]
fn a_new_licence_type_and_procedure_need_only_data() {
    let dir = ejected(&["catalog/licenses.toml", "catalog/letters.toml"]);
    let root = dir.path();
    append(&root.join("catalog/licenses.toml"), DRONE_SERVICE);
    append(&root.join("catalog/letters.toml"), DRONE_LETTER);
    append(
        &root.join("catalog/procedures/telemetry-filing.toml"),
        DRONE_PROCEDURE,
    );
    append(
        &root.join("documents/letters/airspace-commitment.md.tera"),
        DRONE_TEMPLATE,
    );
    let company = std::fs::read_to_string(repo().join(RENEWAL))
        .unwrap()
        .replace(
            "services = [\"call-center\"]",
            "services = [\"drone-telemetry\"]",
        )
        .replace("type = \"renewal\"", "type = \"telemetry-filing\"");
    let company_path = root.join("drone-client.toml");
    std::fs::write(&company_path, company).unwrap();
    let (_out, pdf) = packet(&company_path, Some(root));
    let text = pdf_text_compact(&pdf);
    for must in [
        "遥测数据备案",
        "遥测数据处理报告",
        "空域安全承诺书",
        "我公司北京云声科技有限公司承诺遵守空域管理规定",
        "无人机遥测数据服务业务",
    ] {
        assert!(text.contains(must), "{must} missing:\n{text}");
    }
    let doc = lopdf::Document::load(&pdf).unwrap();
    assert_eq!(
        doc.get_toc().unwrap().toc.len(),
        2,
        "checklist + letter bookmarks"
    );
    let o = licpack(&[
        "templates",
        "check",
        root.to_str().unwrap(),
        "--sample",
        company_path.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(!err.contains(": error"), "{err}");
    assert!(!err.contains("telemetry-filing"), "{err}");
}

/// Runs `templates check` on a directory where `setup` planted one mistake, and `generate`
/// with it; both must fail with `file:line` and a hint.
fn assert_located(setup: impl Fn(&Path), file: &str, line: usize, needle: &str) {
    let dir = ejected(&[]);
    setup(dir.path());
    let located = format!("{}:{line}:", dir.path().join(file).display());
    let (ok, err) = check(dir.path());
    assert!(!ok, "check passed with a mistake in {file}");
    assert!(err.contains(&located), "check: want {located}\n{err}");
    assert!(err.contains(needle), "check: want {needle:?}\n{err}");
    assert!(err.contains("hint:"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let out = tempfile::tempdir().unwrap();
    let o = generate_with(&repo().join(RENEWAL), out.path(), Some(dir.path()));
    assert_eq!(o.status.code(), Some(1), "generate: {}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains(&located), "generate: want {located}\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(files_in(out.path()), 0);
}

fn eject_into(dir: &Path, name: &str) -> PathBuf {
    let o = licpack(&["templates", "eject", name, "--to", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let listed = stdout(&o);
    PathBuf::from(listed.split_whitespace().nth(1).unwrap())
}

/// The 1-based line of the first occurrence of `needle` in `path`.
fn line_of(path: &Path, needle: &str) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

const LAWFUL: &str = "documents/letters/commitment-lawful.md.tera";

#[test]
fn tera_syntax_error_is_located() {
    let line = line_of(&repo().join("templates").join(LAWFUL), "{{ company.uscc }}");
    let setup = |d: &Path| {
        let f = eject_into(d, LAWFUL);
        edit(&f, "{{ company.uscc }}", "{{ company.uscc }");
    };
    assert_located(setup, LAWFUL, line, "Failed to parse");
}

#[test]
fn unknown_variable_is_located_with_a_suggestion() {
    let line = line_of(&repo().join("templates").join(LAWFUL), "{{ company.uscc }}");
    let setup = |d: &Path| {
        let f = eject_into(d, LAWFUL);
        edit(&f, "{{ company.uscc }}", "{{ company.uscd }}");
    };
    assert_located(setup, LAWFUL, line, "did you mean `company.uscc`");
}

#[test]
fn an_amount_filter_given_text_is_located() {
    let line = line_of(&repo().join("templates").join(LAWFUL), "{{ company.uscc }}");
    let setup = |d: &Path| {
        let f = eject_into(d, LAWFUL);
        edit(&f, "{{ company.uscc }}", "{{ company.name | cny_upper }}");
    };
    assert_located(setup, LAWFUL, line, "is not a number");
}

#[test]
fn unknown_markup_is_located_in_the_template() {
    let line = line_of(&repo().join("templates").join(LAWFUL), "现向贵机关申请办理");
    let setup = |d: &Path| {
        let f = eject_into(d, LAWFUL);
        edit(
            &f,
            "现向贵机关申请办理",
            "现向<blink>贵机关</blink>申请办理",
        );
    };
    assert_located(setup, LAWFUL, line, "unknown tag");
}

#[test]
fn catalog_toml_error_is_located() {
    let file = "catalog/procedures/renewal.toml";
    let line = line_of(&repo().join("templates").join(file), "source = ");
    let setup = |d: &Path| {
        let f = eject_into(d, file);
        let text = std::fs::read_to_string(&f).unwrap();
        let fixed = text.replacen("source = ", "sourse = ", 1);
        std::fs::write(&f, fixed).unwrap();
    };
    assert_located(setup, file, line, "sourse");
}

#[test]
fn procedure_naming_a_missing_letter_is_located() {
    let file = "catalog/procedures/renewal.toml";
    let line = line_of(&repo().join("templates").join(file), "letters = [");
    let setup = |d: &Path| {
        let f = eject_into(d, file);
        edit(&f, "\"commitment-security\"", "\"commitment-securty\"");
    };
    assert_located(setup, file, line, "did you mean `commitment-security`");
}

#[test]
fn letter_with_a_missing_template_is_located() {
    let file = "catalog/letters.toml";
    let line = line_of(
        &repo().join("templates").join(file),
        "documents/letters/commitment-security.md.tera",
    );
    let dir = ejected(&[file]);
    edit(
        &dir.path().join(file),
        "documents/letters/commitment-security.md.tera",
        "documents/letters/commitment-securty.md.tera",
    );
    let (ok, err) = check(dir.path());
    assert!(!ok);
    let located = format!("{}:{line}:", dir.path().join(file).display());
    assert!(err.contains(&located), "want {located}\n{err}");
    assert!(
        err.contains("did you mean `documents/letters/commitment-security.md.tera`"),
        "{err}"
    );
    let out = tempfile::tempdir().unwrap();
    let o = generate_with(&repo().join(RENEWAL), out.path(), Some(dir.path()));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("commitment-securty.md.tera"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn several_problems_are_reported_at_once() {
    let dir = ejected(&[]);
    let lawful = eject_into(dir.path(), LAWFUL);
    edit(&lawful, "{{ company.uscc }}", "{{ company.uscc }");
    let renewal = eject_into(dir.path(), "catalog/procedures/renewal.toml");
    edit(&renewal, "source = ", "sourse = ");
    let checklist = eject_into(dir.path(), "documents/checklist.md.tera");
    edit(&checklist, "{% for", "{% fro");
    let (ok, err) = check(dir.path());
    assert!(!ok);
    for f in [
        "commitment-lawful.md.tera",
        "renewal.toml",
        "checklist.md.tera",
    ] {
        assert!(err.contains(f), "{f} not reported:\n{err}");
    }
}

#[test]
fn style_toml_sets_page_size_and_sizes_per_document_kind() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("style.toml"),
        "[letter]\npage = \"Letter\"\nbody_size = \"四号\"\n",
    )
    .unwrap();
    let (ok, err) = check(dir.path());
    assert!(ok || !err.contains("style.toml"), "{err}");
    let (_out, pdf) = packet(&repo().join(RENEWAL), Some(dir.path()));
    let doc = lopdf::Document::load(&pdf).unwrap();
    let sizes: Vec<(f32, f32)> = doc
        .get_pages()
        .values()
        .map(|id| {
            let page = doc.get_dictionary(*id).unwrap();
            let mb = page.get(b"MediaBox").unwrap().as_array().unwrap();
            let num =
                |o: &lopdf::Object| o.as_float().unwrap_or_else(|_| o.as_i64().unwrap() as f32);
            (num(&mb[2]), num(&mb[3]))
        })
        .collect();
    assert!(
        (sizes[0].0 - 595.3).abs() < 0.5,
        "checklist stays A4: {sizes:?}"
    );
    assert!(
        sizes
            .iter()
            .any(|(w, h)| (w - 612.0).abs() < 0.5 && (h - 792.0).abs() < 0.5),
        "letters on US Letter: {sizes:?}"
    );
    std::fs::write(
        dir.path().join("style.toml"),
        "[letter]\nbody_size = \"大四\"\n",
    )
    .unwrap();
    let (ok, err) = check(dir.path());
    assert!(!ok);
    assert!(
        err.contains("style.toml:2:13") && err.contains("小四"),
        "{err}"
    );
}

#[test]
fn a_user_template_reaches_the_builtin_it_overrides() {
    let dir = tempfile::tempdir().unwrap();
    // The user's macros file wraps the built-in one under the reserved prefix.
    let macros = dir.path().join("documents/macros.md.tera");
    let builtin =
        std::fs::read_to_string(repo().join("templates/documents/macros.md.tera")).unwrap();
    append(&macros, &builtin.replace("承诺单位", "声明单位"));
    let lawful = dir
        .path()
        .join("documents/letters/commitment-lawful.md.tera");
    let text = std::fs::read_to_string(repo().join("templates").join(LAWFUL)).unwrap();
    append(
        &lawful,
        &text.replace(
            r#"{% import "documents/macros.md.tera" as m -%}"#,
            r#"{% import "builtin:documents/macros.md.tera" as m -%}"#,
        ),
    );
    let (_out, pdf) = packet(&repo().join(RENEWAL), Some(dir.path()));
    let text = pdf_text_compact(&pdf);
    // Three letters: the lawful one signs through the built-in macro, the others through
    // the user's.
    assert_eq!(text.matches("承诺单位（盖章）").count(), 1, "{text}");
    assert_eq!(text.matches("声明单位（盖章）").count(), 2, "{text}");
}

/// A template nested thousands deep used to overflow Tera's recursive parser and abort the
/// process; it is refused with its line instead.
#[test]
fn a_pathologically_nested_template_is_refused_not_a_crash() {
    let line = line_of(&repo().join("templates").join(LAWFUL), "{{ company.uscc }}");
    let setup = |d: &Path| {
        let f = eject_into(d, LAWFUL);
        let parens = "(".repeat(5000) + "1" + &")".repeat(5000);
        edit(&f, "{{ company.uscc }}", &format!("{{{{ {parens} }}}}"));
    };
    assert_located(setup, LAWFUL, line, "nested more than");
}
