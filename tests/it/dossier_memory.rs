//! Memory of the `dossier` command on a large scan: a 10-page 600-dpi scanner PDF (JPEG
//! pages with paper grain, about 35 MB, made here with ImageMagick and img2pdf) as one
//! material. The command must shrink it into an upload PDF within 5 MB, bind its ten pages
//! into `dossier.pdf`, and keep its peak resident set at most 300 MB (issue 18, "Untrusted
//! input"). The peak is the child's own, from `wait4`'s rusage: not the test process's, and
//! not that of ImageMagick run by other tests at the same time (which `RUSAGE_CHILDREN`
//! would mix in).

use crate::common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::*;
use serde_json::Value;

/// The scan: one grainy 600-dpi A4 page with a heading and a red seal, ten times over, as
/// a scanner driver's PDF (img2pdf embeds the JPEG as it is). None when the tools are
/// missing (a failure under LICPACK_CI).
fn scanner_pdf(dir: &Path) -> Option<std::path::PathBuf> {
    let page = dir.join("page.jpg");
    let made = Command::new("convert")
        .args([
            "-size",
            "1240x1754",
            "xc:#f4f1ea",
            "-seed",
            "18",
            "-attenuate",
            "0.12",
            "+noise",
            "Gaussian",
            "-resize",
            "400%",
            "-fill",
            "#202020",
            "-pointsize",
            "160",
            "-annotate",
            "+400+800",
            "Scanner page",
            "-fill",
            "#c02020",
            "-draw",
            "circle 3000,5000 3000,5600",
            "-density",
            "600",
            "-units",
            "PixelsPerInch",
            "-quality",
            "90",
        ])
        .arg(&page)
        .status();
    let pdf = dir.join("03 营业执照.pdf");
    let bound = made.is_ok_and(|s| s.success())
        && Command::new("img2pdf")
            .args(std::iter::repeat_n(&page, 10))
            .arg("-o")
            .arg(&pdf)
            .status()
            .is_ok_and(|s| s.success());
    std::fs::remove_file(&page).ok();
    if bound {
        return Some(pdf);
    }
    assert!(
        std::env::var_os("LICPACK_CI").is_none(),
        "LICPACK_CI is set but ImageMagick or img2pdf is missing"
    );
    eprintln!("notice: ImageMagick or img2pdf not found; skipping");
    None
}

/// Runs licpack with `args` and returns its exit code and peak RSS in kB.
#[allow(clippy::zombie_processes)] // reaped by wait4, which std's Child cannot see
fn run_measured(args: &[&str]) -> (i32, u64) {
    let child = Command::new(env!("CARGO_BIN_EXE_licpack"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the licpack binary runs");
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 fills it for our own child, which std never
    // waits for here (the Child is dropped unwaited after).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(waited, child.id() as libc::pid_t, "wait4");
    assert!(
        libc::WIFEXITED(status),
        "licpack did not exit normally: {status}"
    );
    // ru_maxrss is in kilobytes on Linux.
    (libc::WEXITSTATUS(status), usage.ru_maxrss as u64)
}

#[test]
fn a_10_page_600_dpi_scan_goes_through_the_dossier_command_in_300_mb() {
    let folder = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let Some(scan) = scanner_pdf(folder.path()) else {
        return;
    };
    let scan_bytes = std::fs::metadata(&scan).unwrap().len();
    assert!(
        scan_bytes > 25_000_000,
        "a scan of about 35 MB: {scan_bytes}"
    );
    let sample = repo().join("samples/callcenter-renewal.toml");
    let (code, peak_kb) = run_measured(&[
        "dossier",
        sample.to_str().unwrap(),
        "--materials",
        folder.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        "--procedure",
        "renewal",
        "--date",
        TODAY,
    ]);
    // The other materials are missing: exit 1, everything else written.
    assert_eq!(code, 1);
    let json = files_under(out.path())
        .into_iter()
        .find(|p| p.file_name().is_some_and(|n| n == "dossier.json"))
        .expect("dossier.json");
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let licence = report["materials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["files"].as_array().is_some_and(|f| !f.is_empty()))
        .expect("the scan's material");
    assert_eq!(licence["status"], "ready", "{licence:#}");
    assert_eq!(licence["files"][0]["pages"], 10, "{licence:#}");
    let actions = licence["files"][0]["actions"].to_string() + &licence["actions"].to_string();
    assert!(actions.contains("downsampled to"), "{licence:#}");
    let packet = json.parent().unwrap();
    let upload = packet.join(licence["upload"][0].as_str().unwrap());
    let upload_bytes = std::fs::metadata(&upload).unwrap().len();
    assert!(upload_bytes <= 5_242_880, "{upload_bytes}");
    let upload_pdf = lopdf::Document::load(&upload).unwrap();
    assert_eq!(upload_pdf.get_pages().len(), 10);
    let bound = lopdf::Document::load(packet.join("dossier.pdf")).unwrap();
    assert!(
        bound.get_pages().len() >= 12,
        "cover, 目录 and the ten pages"
    );
    eprintln!(
        "scan {scan_bytes} B → upload {upload_bytes} B; peak RSS {} MB",
        peak_kb / 1024
    );
    assert!(peak_kb <= 300 * 1024, "peak RSS {} MB", peak_kb / 1024);
}
