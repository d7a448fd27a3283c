//! End-to-end: the smaller commands (`check`, `catalog`, `init`, `--help`).

use crate::common;

use common::*;

#[test]
fn check_accepts_the_samples() {
    let o = licpack(&[
        "check",
        "samples/callcenter-renewal.toml",
        "samples/callcenter-reapplication.toml",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("2 valid, 0 invalid"));
}

#[test]
fn catalog_json_has_services_procedures_and_matrix() {
    let o = licpack(&["catalog", "--json"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let services = v["services"].as_array().unwrap();
    assert!(services
        .iter()
        .any(|s| s["id"] == "call-center" && s["code"] == "B24"));
    let procedures = v["procedures"].as_array().unwrap();
    for id in ["renewal", "legal-rep-change", "reapplication"] {
        assert!(procedures.iter().any(|p| p["id"] == id), "{id}");
    }
    assert!(!v["matrix"].as_array().unwrap().is_empty());
    let years: Vec<i64> = v["calendar"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y["year"].as_i64().unwrap())
        .collect();
    assert_eq!(years, (2020..=2026).collect::<Vec<_>>());
    assert_eq!(v["calendar"][6]["notices"][0], "国办发明电〔2025〕7号");
}

#[test]
fn catalog_lists_the_calendar_years_and_their_notices() {
    let o = licpack(&["catalog"]);
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(text.contains("Working-day calendar"), "{text}");
    assert!(
        text.contains("  2020  国办发明电〔2019〕16号, 国办发明电〔2020〕1号"),
        "{text}"
    );
    assert!(text.contains("  2026  国办发明电〔2025〕7号"), "{text}");
}

#[test]
fn init_writes_a_valid_file_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    assert!(licpack(&["init", d]).status.success());
    let file = dir.path().join("company.toml");
    assert!(licpack(&["check", file.to_str().unwrap()]).status.success());
    std::fs::write(&file, "changed").unwrap();
    assert_eq!(licpack(&["init", d]).status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "changed");
}

#[test]
fn help_teaches_with_examples_and_usage_errors_exit_2() {
    let o = licpack(&["generate", "--help"]);
    assert!(stdout(&o).contains("Examples:") && stdout(&o).contains("--date"));
    assert_eq!(licpack(&["generate"]).status.code(), Some(2));
    assert_eq!(licpack(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn output_cut_short_by_a_closed_pipe_ends_quietly() {
    use std::process::{Command, Stdio};
    // `licpack catalog --json | head -c 0`: the reader is gone before the first write.
    let mut child = Command::new(env!("CARGO_BIN_EXE_licpack"))
        .args(["catalog", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.is_empty(), "{err}");
}
