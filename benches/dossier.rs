//! Dossier benchmark: 20 JPEG scans (A4, 300 dpi, ImageMagick-made with paper grain and
//! text so each is about 0.5–1.5 MB) bound into `dossier.pdf` (cover, 目录, stamped pages)
//! by the release binary, `licpack dossier`, against `img2pdf` on the same 20 files, in one
//! run, alternating who goes first, medians of the rounds. The bars: time at most
//! img2pdf's; bytes at most 1.03 × img2pdf's + 120 KB.
//!
//! licpack's side is the whole command as a clerk runs it: engine start, matching the
//! folder (five materials of four scans each, as folders named as on the checklist),
//! reading and checking every file, the upload files (the scans comply, so they are
//! copied), `dossier.pdf` and `dossier.json`. img2pdf only binds.
//!
//! Run: `cargo bench --bench dossier` (or `-- ROUNDS`, default 7). The scans are made once
//! into the target directory and reused.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const SCANS: usize = 20;
/// Scans per material: 20 scans in 5 materials of 4 pages.
const PER_MATERIAL: usize = 4;

fn main() {
    let rounds: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(7);
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-dossier");
    std::fs::create_dir_all(&root).expect("bench directory");
    let scans = make_scans(&root);
    let materials = materials_folder(&root, &scans);
    let scan_bytes: u64 = scans.iter().map(|p| p.metadata().unwrap().len()).sum();
    println!(
        "{SCANS} scans, {:.1} MB in all ({:.2} MB each on average)",
        scan_bytes as f64 / 1e6,
        scan_bytes as f64 / 1e6 / SCANS as f64
    );
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    let (mut our_bytes, mut their_bytes) = (0, 0);
    for round in 0..rounds {
        // Alternate who goes first, so neither always meets a warm or a cold cache.
        let order = if round.is_multiple_of(2) {
            [0, 1]
        } else {
            [1, 0]
        };
        for who in order {
            if who == 0 {
                let (time, bytes) = licpack_run(&materials, &root.join("out"));
                ours.push(time);
                our_bytes = bytes;
            } else {
                let (time, bytes) = img2pdf_run(&scans, &root.join("img2pdf.pdf"));
                theirs.push(time);
                their_bytes = bytes;
            }
        }
    }
    let (ours, theirs) = (median(ours), median(theirs));
    let bar = their_bytes as f64 * 1.03 + 120_000.0;
    println!("| 20 JPEG scans → one PDF | time (median of {rounds}) | bytes |");
    println!("|---|---:|---:|");
    println!(
        "| licpack dossier | {:.3} s | {our_bytes} |",
        ours.as_secs_f64()
    );
    println!(
        "| img2pdf | {:.3} s | {their_bytes} |",
        theirs.as_secs_f64()
    );
    println!(
        "time ratio {:.3} (bar ≤ 1), bytes {our_bytes} vs bar {:.0} (1.03 × img2pdf + 120 KB): {}",
        ours.as_secs_f64() / theirs.as_secs_f64(),
        bar,
        if (our_bytes as f64) <= bar {
            "within"
        } else {
            "OVER"
        }
    );
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// The scans, made once: one noisy A4 page at 300 dpi, then per scan a shifted copy with
/// its own heading and lines of "text" (bars), saved at quality 85.
fn make_scans(root: &Path) -> Vec<PathBuf> {
    let base = root.join("base.png");
    if !base.exists() {
        // Paper grain: noise drawn at 150 dpi and enlarged, which makes scanner-like
        // blotches rather than per-pixel static.
        run(Command::new("convert")
            .args([
                "-size",
                "1240x1754",
                "xc:#f4f2ee",
                "-seed",
                "18",
                "-attenuate",
                "0.5",
                "+noise",
                "Gaussian",
                "-resize",
                "2480x3508!",
            ])
            .arg(&base));
    }
    (1..=SCANS)
        .map(|i| {
            let path = root.join(format!("scan-{i:02}.jpg"));
            if !path.exists() {
                let mut cmd = Command::new("convert");
                cmd.arg(&base)
                    .args(["-roll", &format!("+{}+{}", i * 37, i * 53)])
                    .args(["-fill", "#202020", "-pointsize", "90"])
                    .args(["-annotate", "+300+400", &format!("Scan {i} of {SCANS}")]);
                for line in 0..40 {
                    let y = 600 + line * 70;
                    let len = 1200 + (line * 97 + i * 31) % 800;
                    cmd.args([
                        "-draw",
                        &format!("rectangle 300,{y} {},{}", 300 + len, y + 22),
                    ]);
                }
                cmd.args([
                    "-fill",
                    "#c8161d",
                    "-draw",
                    "circle 1900,3000 2100,3000",
                    "-units",
                    "PixelsPerInch",
                    "-density",
                    "300",
                    "-quality",
                    "85",
                ]);
                run(cmd.arg(&path));
            }
            path
        })
        .collect()
}

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("the tool runs (ImageMagick, img2pdf)");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn img2pdf_run(scans: &[PathBuf], out: &Path) -> (Duration, u64) {
    let start = Instant::now();
    run(Command::new("img2pdf").args(scans).arg("-o").arg(out));
    (start.elapsed(), out.metadata().unwrap().len())
}

const SAMPLE: &str = "samples/callcenter-renewal.toml";

fn licpack() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_licpack"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// The client's folder: the renewal's first five materials, each a folder named as on the
/// checklist holding four of the scans (hard links, copies where links fail).
fn materials_folder(root: &Path, scans: &[PathBuf]) -> PathBuf {
    let folder = root.join("materials");
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).expect("materials folder");
    let listed = licpack()
        .args([
            "dossier",
            SAMPLE,
            "--procedure",
            "renewal",
            "--date",
            "2026-11-25",
        ])
        .arg("--materials")
        .arg(&folder)
        .arg("--out")
        .arg(root.join("listing"))
        .arg("--json")
        .output()
        .expect("licpack runs");
    let report: serde_json::Value =
        serde_json::from_slice(&listed.stdout).expect("the report as JSON");
    let materials = report[0]["materials"].as_array().expect("materials");
    for (material, pages) in materials.iter().zip(scans.chunks(PER_MATERIAL)) {
        let dir = folder.join(format!(
            "{:02} {}",
            material["number"].as_u64().unwrap(),
            material["name"]["zh"].as_str().unwrap()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        for (k, scan) in pages.iter().enumerate() {
            let to = dir.join(format!("{}.jpg", k + 1));
            if std::fs::hard_link(scan, &to).is_err() {
                std::fs::copy(scan, &to).unwrap();
            }
        }
    }
    folder
}

/// One run of `licpack dossier` into a fresh `out`; its time and `dossier.pdf`'s bytes.
fn licpack_run(materials: &Path, out: &Path) -> (Duration, u64) {
    let _ = std::fs::remove_dir_all(out);
    let start = Instant::now();
    let o = licpack()
        .args([
            "dossier",
            SAMPLE,
            "--procedure",
            "renewal",
            "--date",
            "2026-11-25",
        ])
        .arg("--materials")
        .arg(materials)
        .arg("--out")
        .arg(out)
        .output()
        .expect("licpack runs");
    let elapsed = start.elapsed();
    // Exit 1: the materials beyond the five bound here are missing.
    assert!(
        o.status.code() == Some(1) || o.status.success(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let pdf = find(out, "dossier.pdf").expect("dossier.pdf written");
    (elapsed, pdf.metadata().unwrap().len())
}

fn find(dir: &Path, name: &str) -> Option<PathBuf> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if let Some(found) = find(&path, name) {
                return Some(found);
            }
        } else if path.file_name().is_some_and(|n| n == name) {
            return Some(path);
        }
    }
    None
}
