//! End-to-end: every invalid company file is rejected with exit code 1, nothing written,
//! and a message naming the file, the line and the field of its `# expect:` line.

use crate::common;

use std::path::Path;

use common::*;

/// `# expect: line 12, field license[0].number (...)` → (12, Some("license[0].number")).
fn expectation(path: &Path) -> (usize, Option<String>) {
    let text = std::fs::read_to_string(path).unwrap();
    let first = text.lines().next().unwrap_or_default();
    let rest = first
        .strip_prefix("# expect: line ")
        .unwrap_or_else(|| panic!("{} has no # expect: line", path.display()));
    let line: usize = rest
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let field = rest
        .split_once("field ")
        .map(|(_, f)| f.split_whitespace().next().unwrap().to_string());
    (line, field)
}

fn assert_rejected(file: &Path) {
    let out = tempfile::tempdir().unwrap();
    let (line, field) = expectation(file);
    for cmd in ["generate", "check"] {
        let mut args = vec![cmd, file.to_str().unwrap()];
        if cmd == "generate" {
            args.extend(["--out", out.path().to_str().unwrap(), "--date", TODAY]);
        }
        let o = licpack(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{cmd} {}: {err}", file.display());
        let name = file.file_name().unwrap().to_str().unwrap();
        assert!(
            err.contains(&format!("{name}:{line}:")),
            "{cmd} {}: no {name}:{line}: in\n{err}",
            file.display()
        );
        if let Some(f) = &field {
            assert!(
                err.contains(&format!("`{f}`")),
                "{cmd} {}: field {f} not named in\n{err}",
                file.display()
            );
        }
    }
    assert_eq!(
        files_in(out.path()),
        0,
        "{}: something was written",
        file.display()
    );
}

fn toml_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    v.sort();
    v
}

#[test]
fn own_invalid_fixtures_are_rejected_with_location() {
    let files = toml_files(&repo().join("tests/fixtures/company/invalid"));
    assert!(
        files.len() >= 12,
        "expected the invalid fixtures, found {}",
        files.len()
    );
    files.iter().for_each(|f| assert_rejected(f));
}

#[test]
fn shared_invalid_cases_are_rejected_with_location() {
    let Some(cases) = shared_cases() else {
        eprintln!("shared/cases not present: skipped");
        return;
    };
    toml_files(&cases.join("invalid"))
        .iter()
        .for_each(|f| assert_rejected(f));
}

#[test]
fn a_character_without_a_glyph_is_named_with_its_field() {
    let dir = tempfile::tempdir().unwrap();
    let sample = std::fs::read_to_string(repo().join("samples/callcenter-renewal.toml")).unwrap();
    let bad = sample.replace(
        "name = \"北京云声科技有限公司\"",
        // A noncharacter: no font maps it, so no installed font can supply it either.
        "name = \"北京云声科技有限公司\u{FDD0}\"",
    );
    let path = dir.path().join("emoji.toml");
    std::fs::write(&path, bad).unwrap();
    let out = dir.path().join("out");
    let o = licpack(&[
        "generate",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--date",
        TODAY,
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("U+FDD0") && err.contains("`company.name`"),
        "{err}"
    );
    // Line 6, column 19: `name = "` is 8 characters, then the ten of the name.
    assert!(err.contains("emoji.toml:6:19:"), "located: {err}");
    assert!(!out.exists() || files_in(&out) == 0);
}

#[test]
fn a_file_saved_in_gbk_is_named_as_such_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let sample = std::fs::read_to_string(repo().join("samples/callcenter-renewal.toml")).unwrap();
    // What Notepad on a Chinese Windows writes by default: 北京 as GBK bytes on line 6.
    let bytes = sample
        .replace("北京云声科技有限公司", "\u{1}")
        .into_bytes()
        .into_iter()
        .flat_map(|b| {
            if b == 1 {
                vec![0xB1, 0xB1, 0xBE, 0xA9]
            } else {
                vec![b]
            }
        })
        .collect::<Vec<u8>>();
    let path = dir.path().join("gbk.toml");
    std::fs::write(&path, bytes).unwrap();
    let check = licpack(&["check", path.to_str().unwrap()]);
    let generate = run_dated("generate", &path, &dir.path().join("out"), &[]);
    for o in [check, generate] {
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(
            err.contains("gbk.toml:6:9:") && err.contains("GBK"),
            "{err}"
        );
        assert!(err.contains("save the file as UTF-8"), "{err}");
    }
}
