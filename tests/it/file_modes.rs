//! Files a team can read: every file licpack writes (packets, batch summaries, `init`'s
//! company file, an iCalendar export) gets the mode the process umask gives a new file —
//! 0644 under 022, 0600 under 077 — as cp or a word processor would, also when `--force`
//! replaces an older file.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use common::*;

/// Runs the binary under `umask` (through `sh`, since the test process's own umask is
/// shared by every test thread and must not change).
fn licpack_umask(umask: &str, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask}; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_licpack"))
        .args(args)
        .output()
        .expect("sh runs licpack")
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Every file under `dir` with its mode, for a readable failure message.
fn modes_under(dir: &Path) -> Vec<(String, u32)> {
    files_under(dir)
        .iter()
        .map(|p| (p.strip_prefix(dir).unwrap().display().to_string(), mode(p)))
        .collect()
}

fn assert_all_modes(dir: &Path, expected: u32, at_least: usize) {
    let modes = modes_under(dir);
    assert!(modes.len() >= at_least, "too few files: {modes:?}");
    for (name, m) in &modes {
        assert_eq!(
            *m, expected,
            "{name} has mode {m:o}, want {expected:o}: {modes:?}"
        );
    }
}

fn run_ok(umask: &str, args: &[&str]) {
    let o = licpack_umask(umask, args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
}

fn write_everything(umask: &str, expected: u32) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let clients = root.join("clients");
    std::fs::create_dir(&clients).unwrap();
    std::fs::copy(
        repo().join("samples/callcenter-renewal.toml"),
        clients.join("yunsheng.toml"),
    )
    .unwrap();
    let (gen, bat, init) = (root.join("gen"), root.join("batch"), root.join("init"));
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let sample = s(&clients.join("yunsheng.toml"));
    run_ok(
        umask,
        &["generate", &sample, "--out", &s(&gen), "--date", TODAY],
    );
    run_ok(
        umask,
        &[
            "batch",
            &s(&clients),
            "--out",
            &s(&bat),
            "--date",
            TODAY,
            "--quiet",
        ],
    );
    run_ok(umask, &["init", &s(&init)]);
    let ics = root.join("ics/due.ics");
    std::fs::create_dir(root.join("ics")).unwrap();
    run_ok(umask, &["deadlines", &sample, "--ics", &s(&ics)]);

    assert_all_modes(&gen, expected, 1);
    // The packet plus summary.json, summary.csv and summary.pdf.
    assert_all_modes(&bat, expected, 4);
    assert_eq!(mode(&init.join("company.toml")), expected);
    assert_eq!(mode(&ics), expected);
}

#[test]
fn files_follow_the_usual_umask() {
    write_everything("022", 0o644);
}

#[test]
fn files_follow_a_private_umask() {
    write_everything("077", 0o600);
}

#[test]
fn force_replacing_gives_the_umask_mode_of_the_run_that_replaces() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("company.toml");
    std::fs::write(&target, "# an older file\n").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
    let dir = tmp.path().to_str().unwrap();
    run_ok("022", &["init", dir, "--force"]);
    assert_eq!(mode(&target), 0o644);
    assert!(std::fs::read_to_string(&target)
        .unwrap()
        .contains("[company]"));

    std::fs::write(&target, "# changed again\n").unwrap();
    run_ok("077", &["init", dir, "--force"]);
    assert_eq!(mode(&target), 0o600);
    assert_eq!(files_in(tmp.path()), 1, "no temporary file left behind");
}
