//! Helpers shared by the end-to-end tests: run the binary, find fixtures, read PDFs.
#![allow(dead_code)] // not every helper is used by a test today

pub mod letters;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The date every sample is meant to be read with (`shared/cases/README.md`).
pub const TODAY: &str = "2026-11-25";

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/cases` when present (as in CI); tests that need it skip without it.
pub fn shared_cases() -> Option<PathBuf> {
    let dir = repo().join("../shared/cases");
    dir.is_dir().then_some(dir)
}

pub fn licpack(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_licpack"))
        .args(args)
        .output()
        .expect("the licpack binary runs")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Every PDF under `dir`, sorted.
pub fn pdfs_in(dir: &Path) -> Vec<PathBuf> {
    files_under(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect()
}

/// How many files (of any kind, hidden temporary ones included) are under `dir`.
pub fn files_in(dir: &Path) -> usize {
    files_under(dir).len()
}

/// Every file under `dir`, recursively, sorted; folders are not listed. Empty when `dir`
/// does not exist.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Runs `licpack generate COMPANY --out OUT --date TODAY` with `extra` arguments.
pub fn generate(company: &Path, out: &Path, extra: &[&str]) -> Output {
    run_dated("generate", company, out, extra)
}

/// Runs `licpack COMMAND INPUT --out OUT --date TODAY` with `extra` arguments.
pub fn run_dated(command: &str, input: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        command,
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--date",
        TODAY,
    ];
    args.extend_from_slice(extra);
    licpack(&args)
}

/// The text of every page, through the PDF's ToUnicode maps (what copy/paste gives).
pub fn pdf_pages_text(path: &Path) -> Vec<String> {
    let doc = lopdf::Document::load(path).expect("the PDF parses");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    pages
        .iter()
        .map(|p| doc.extract_text(&[*p]).unwrap_or_default())
        .collect()
}

/// All text of a PDF with whitespace removed, so that checks do not depend on where lines
/// break or on gaps a viewer reads as spaces.
pub fn pdf_text_compact(path: &Path) -> String {
    compact(&pdf_pages_text(path).concat())
}

pub fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

const USCC_ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [usize; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A valid USCC (GB 32100-2015 check character) for serial `i`.
pub fn synthetic_uscc(i: usize) -> String {
    let body = format!("91110108MA{i:07}");
    let sum: usize = body
        .bytes()
        .zip(USCC_WEIGHTS)
        .map(|(b, w)| USCC_ALPHABET.iter().position(|a| *a == b).unwrap_or(0) * w)
        .sum();
    format!("{body}{}", USCC_ALPHABET[(31 - sum % 31) % 31] as char)
}

/// The renewal sample turned into client `i` (own name, USCC and licence number).
pub fn synthetic_client(i: usize) -> String {
    std::fs::read_to_string(repo().join("samples/callcenter-renewal.toml"))
        .unwrap()
        .replace(
            "北京云声科技有限公司",
            &format!("北京云声{i}号科技有限公司"),
        )
        .replace("91110108MA01C2XM4Y", &synthetic_uscc(i))
        .replace("B2-20220318", &format!("B2-2022{i:04}"))
}

/// Packets under `out` (summaries left out), by path relative to `out`, with their bytes.
pub fn packets(out: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    pdfs_in(out)
        .into_iter()
        .filter(|p| !p.ends_with("summary.pdf"))
        .map(|p| {
            (
                p.strip_prefix(out).unwrap().to_path_buf(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

/// `d` as the packets print it: 2027年4月30日.
pub fn zh_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// Asserts that `text` (compacted, from the PDF or the DOCX of `file`) holds what the
/// packet of `plan` must show: the company's name and USCC, the licence number, every
/// material in both languages, every deadline date and every letter title. Returns where
/// each letter title starts, in the plan's order.
pub fn assert_holds_plan(
    text: &str,
    company: &licpack::company::Company,
    plan: &licpack::plan::PacketPlan,
    file: &Path,
) -> Vec<usize> {
    let must = |s: &str, what: &str| {
        let at = text.find(&compact(s));
        assert!(at.is_some(), "{}: {what} {s:?} missing", file.display());
        at.unwrap_or_default()
    };
    must(&company.info.name, "company name");
    must(&company.info.uscc, "USCC");
    must(&plan.license.number, "licence number");
    for m in &plan.materials {
        must(&m.material.name.zh, "material (zh)");
        must(&m.material.name.en, "material (en)");
    }
    for d in &plan.deadlines {
        must(&zh_date(d.date), "deadline date");
    }
    plan.letters
        .iter()
        .map(|l| must(&l.title.zh, "letter title"))
        .collect()
}

/// A one-page A4 colour scan at 150 dpi (a red seal on white), made by ImageMagick; `false`
/// (with a notice) when it is not installed, outside CI.
pub fn scan_jpeg(path: &Path) -> bool {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let made = std::process::Command::new("convert")
        .args([
            "-size",
            "1240x1754",
            "xc:white",
            "-fill",
            "red",
            "-draw",
            "circle 600,900 600,700",
            "-fill",
            "black",
            "-draw",
            "rectangle 100,100 1100,160",
        ])
        .arg(path)
        .status();
    match made {
        Ok(s) if s.success() => true,
        _ => {
            assert!(
                std::env::var_os("LICPACK_CI").is_none(),
                "LICPACK_CI is set but ImageMagick is missing; install imagemagick"
            );
            eprintln!("notice: ImageMagick not found; skipping");
            false
        }
    }
}
