//! Nothing lost when the output cannot be written: a read-only folder, a full disk and a file
//! standing where the output folder should be each give a clear error naming the path and
//! what to do, a non-zero exit, and no file (partial or temporary) left behind.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;

fn sample() -> PathBuf {
    repo().join("samples/callcenter-renewal.toml")
}

/// A folder nobody can create files in, for as long as it lives. Permission bits do not stop
/// root (CI runs as root), so there the folder is made immutable with `chattr +i` instead.
struct ReadOnlyDir {
    _parent: tempfile::TempDir,
    path: PathBuf,
    immutable: bool,
}

impl ReadOnlyDir {
    fn new() -> Option<ReadOnlyDir> {
        use std::os::unix::fs::PermissionsExt;
        let parent = tempfile::tempdir().unwrap();
        let path = parent.path().join("out");
        std::fs::create_dir(&path).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o555)).unwrap();
        let mut dir = ReadOnlyDir {
            _parent: parent,
            path,
            immutable: false,
        };
        if dir.accepts_files() {
            dir.immutable = Command::new("chattr")
                .arg("+i")
                .arg(&dir.path)
                .status()
                .is_ok_and(|s| s.success());
            if !dir.immutable || dir.accepts_files() {
                return None;
            }
        }
        Some(dir)
    }

    fn accepts_files(&self) -> bool {
        let probe = self.path.join("probe");
        let ok = std::fs::write(&probe, b"x").is_ok();
        let _ = std::fs::remove_file(&probe);
        ok
    }
}

impl Drop for ReadOnlyDir {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        if self.immutable {
            let _ = Command::new("chattr").arg("-i").arg(&self.path).status();
        }
        let _ = std::fs::set_permissions(&self.path, std::fs::Permissions::from_mode(0o755));
    }
}

fn assert_clear_failure(o: &Output, path_part: &str, advice: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot write"), "{err}");
    assert!(err.contains(path_part), "the path is named: {err}");
    assert!(err.contains(advice), "the fix is given: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn generate_into_a_read_only_folder_fails_clearly_and_writes_nothing() {
    let Some(dir) = ReadOnlyDir::new() else {
        eprintln!("skipped: no way to make a read-only folder here (neither mode bits nor chattr)");
        return;
    };
    let o = generate(&sample(), &dir.path, &[]);
    assert_clear_failure(&o, &dir.path.display().to_string(), "not writable");
    assert!(files_under(&dir.path).is_empty());
}

#[test]
fn batch_into_a_read_only_folder_stops_before_any_work() {
    let Some(dir) = ReadOnlyDir::new() else {
        eprintln!("skipped: no way to make a read-only folder here (neither mode bits nor chattr)");
        return;
    };
    let book = tempfile::tempdir().unwrap();
    for i in 0..3 {
        std::fs::write(book.path().join(format!("c{i}.toml")), synthetic_client(i)).unwrap();
    }
    let o = run_dated("batch", book.path(), &dir.path, &["--quiet"]);
    assert_clear_failure(&o, &dir.path.display().to_string(), "not writable");
    let err = stderr(&o);
    assert_eq!(
        err.matches("cannot write").count(),
        1,
        "one error, not one per client: {err}"
    );
    assert!(files_under(&dir.path).is_empty());
}

/// A disk that fills up in the middle of the PDF: the file-size limit (`ulimit -f`, with
/// SIGXFSZ ignored so the write fails with EFBIG instead of killing the process) makes every
/// write past 64 KB fail, as ENOSPC would. `sh` counts `ulimit -f` in 512-byte blocks.
fn generate_on_a_full_disk(out: &Path, extra: &[&str]) -> Output {
    Command::new("sh")
        .args(["-c", "trap '' XFSZ; ulimit -f 128; exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_licpack"))
        .args(["generate", sample().to_str().unwrap(), "--out"])
        .arg(out)
        .args(["--date", TODAY])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn a_disk_full_in_the_middle_of_a_packet_leaves_no_partial_file() {
    let out = tempfile::tempdir().unwrap();
    let o = generate_on_a_full_disk(out.path(), &[]);
    assert_clear_failure(&o, "B2-20220318-renewal.pdf", "disk is full");
    assert!(
        files_under(out.path()).is_empty(),
        "{:?}",
        files_under(out.path())
    );
    // The same command with room to write succeeds: the limit, not the packet, failed it.
    let o = generate(&sample(), out.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(pdfs_in(out.path()).len(), 1);
}

#[test]
fn a_disk_full_while_replacing_keeps_the_old_file() {
    let out = tempfile::tempdir().unwrap();
    let o = generate(&sample(), out.path(), &["--lang", "zh"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = pdfs_in(out.path()).remove(0);
    let before = std::fs::read(&pdf).unwrap();
    let o = generate_on_a_full_disk(out.path(), &["--force"]);
    assert_clear_failure(&o, "B2-20220318-renewal.pdf", "disk is full");
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        before,
        "the old packet is intact"
    );
    assert_eq!(files_under(out.path()), vec![pdf]);
}

#[test]
fn a_file_where_the_output_folder_should_be_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("out");
    std::fs::write(&blocker, b"not a folder").unwrap();
    let o = generate(&sample(), &blocker, &[]);
    assert_clear_failure(&o, "out", "in the way");
    assert_eq!(std::fs::read(&blocker).unwrap(), b"not a folder");
    assert_eq!(files_under(dir.path()), vec![blocker]);
}
