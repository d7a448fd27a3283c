//! Dossier benchmark: 20 JPEG scans (A4, 300 dpi, ImageMagick-made with noise and text so
//! each is about 0.5–1.5 MB) bound into `dossier.pdf` (cover, 目录, stamped pages) against
//! `img2pdf` on the same 20 files, in one run, alternating, medians of the rounds.
//! The bars: time at most img2pdf's; bytes at most 1.03 × img2pdf's + 120 KB.
//!
//! Until the `licpack dossier` command lands this measures through the library
//! (`assemble::dossier` with pages made from the JPEG bytes, engine start included, as a
//! process would pay it); `licpack_run` is the one function to replace with a call of the
//! release binary then.
//!
//! Run: `cargo bench --bench dossier` (or `-- ROUNDS`, default 5). The scans are made once
//! into `target/bench-dossier/` and reused.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use licpack::catalog::Text;
use licpack::dossier::assemble::{self, Options, Part};
use licpack::dossier::inspect::{Colour, PageFacts};
use licpack::dossier::normalise::{NormalisedPage, PageContent};
use licpack::dossier::report::Status;
use licpack::dossier::rules::UploadRules;
use licpack::dossier::{DossierPlan, Slot};
use licpack::image::Image;
use licpack::packet::Engine;

const SCANS: usize = 20;
/// Scans per material: 20 scans in 5 materials of 4 pages.
const PER_MATERIAL: usize = 4;

fn main() {
    let rounds: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(5);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-dossier");
    std::fs::create_dir_all(&root).expect("bench directory");
    let scans = make_scans(&root);
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
                let (time, bytes) = licpack_run(&scans, &root.join("dossier.pdf"));
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
        "| licpack dossier (library) | {:.3} s | {our_bytes} |",
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

/// One dossier of the scans, as the command would make it: engine, reading, assembly,
/// writing.
fn licpack_run(scans: &[PathBuf], out: &Path) -> (Duration, u64) {
    let start = Instant::now();
    let engine = Engine::new(None).expect("built-in library");
    let pages: Vec<NormalisedPage> = scans.iter().map(|p| scan_page(p)).collect();
    let slots: Vec<Slot> = (0..SCANS / PER_MATERIAL)
        .map(|i| Slot {
            number: i + 1,
            id: format!("material-{i}"),
            name: Text {
                zh: format!("材料{}", i + 1),
                en: format!("Material {}", i + 1),
            },
            aliases: Vec::new(),
            colour_required: true,
            copy: false,
            letter: false,
        })
        .collect();
    let plan = DossierPlan {
        company: "北京云声科技有限公司".into(),
        uscc: "91110108MA01C2XM4Y".into(),
        license: "B2-20220318".into(),
        procedure: Text {
            zh: "续期".into(),
            en: "Renewal".into(),
        },
        authority: Text {
            zh: "工业和信息化部".into(),
            en: "MIIT".into(),
        },
        date: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        slots,
        rules: UploadRules::default(),
        file_stem: "B2-20220318-renewal".into(),
    };
    let parts: Vec<Part> = plan
        .slots
        .iter()
        .zip(pages.chunks(PER_MATERIAL))
        .map(|(slot, pages)| Part {
            slot,
            status: Status::Ready,
            pages,
        })
        .collect();
    let assembled = assemble::dossier(&plan, &parts, &engine, &Options::default())
        .expect("the dossier is written");
    std::fs::write(out, &assembled.bytes).expect("write");
    (start.elapsed(), assembled.bytes.len() as u64)
}

/// A scan as the normalisation step hands it over: the JPEG as it is, 300 dpi.
fn scan_page(path: &Path) -> NormalisedPage {
    let image = Image::decode(&std::fs::read(path).expect("scan")).expect("a JPEG");
    let pt = |px: u32| px as f32 * 72.0 / 300.0;
    NormalisedPage {
        facts: PageFacts {
            pixels: Some((image.width, image.height)),
            upright_pt: (pt(image.width), pt(image.height)),
            dpi_on_a4: Some(300.0),
            colour: Colour::Rgb,
            orientation: 1,
            blank: false,
        },
        content: PageContent::Image {
            image: Arc::new(image),
            quarter_turns: 0,
        },
    }
}
