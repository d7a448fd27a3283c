//! Upload benchmark: a 10-page 600-dpi scanner PDF (JPEG pages, made with ImageMagick and
//! img2pdf) into an upload PDF within 5 MB at 150 dpi or more, against Ghostscript's
//! `-dPDFSETTINGS=/ebook` on the same file, in alternating rounds; prints medians and the
//! ratio. licpack's side is in-process (`inspect` + `normalise`), as a clerk's script would
//! call `gs` once per file.
//!
//! The time is licpack's from reading the file to the upload PDF's bytes in memory (one
//! `inspect` and one `normalise`, which decodes each page at a reduced DCT scale, resizes,
//! encodes and fits the 5 MB limit); Ghostscript's is its whole process, file to file.
//!
//! Run: `cargo bench --bench upload` (7 rounds) or `cargo bench --bench upload -- 9`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use licpack::catalog::Text;
use licpack::dossier::inspect::inspect;
use licpack::dossier::matching::SourceFile;
use licpack::dossier::normalise::normalise;
use licpack::dossier::rules::UploadRules;
use licpack::dossier::Slot;

const PAGES: usize = 10;

fn run(program: &str, args: &[&str]) {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} is needed for this benchmark: {e}"));
    assert!(
        out.status.success(),
        "{program} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The scanner PDF, made once and kept in the target directory: one textured 600-dpi page
/// (about 3.5 MB of JPEG) ten times over, as img2pdf embeds it (byte for byte).
fn scanner_pdf() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("upload-bench");
    let pdf = dir.join("scan-600dpi.pdf");
    if pdf.exists() {
        return pdf;
    }
    std::fs::create_dir_all(&dir).unwrap();
    let page = dir.join("page.jpg");
    run(
        "convert",
        &[
            "-size",
            "1240x1754",
            "xc:#f4f1ea",
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
            page.to_str().unwrap(),
        ],
    );
    let mut args: Vec<&str> = vec![page.to_str().unwrap(); PAGES];
    args.extend(["-o", pdf.to_str().unwrap()]);
    run("img2pdf", &args);
    pdf
}

fn licpack_upload(pdf: &Path) -> (Duration, usize, f32) {
    let start = Instant::now();
    let file = SourceFile {
        path: pdf.to_path_buf(),
        display: "scan.pdf".into(),
    };
    let inspected = inspect(&file);
    let slot = Slot {
        number: 4,
        id: "scan".into(),
        name: Text {
            zh: "材料".into(),
            en: "Material".into(),
        },
        aliases: Vec::new(),
        colour_required: false,
        copy: false,
        letter: false,
    };
    let normalised = normalise(
        &slot,
        std::slice::from_ref(&inspected),
        &UploadRules::default(),
    );
    let elapsed = start.elapsed();
    let upload = normalised
        .upload
        .first()
        .unwrap_or_else(|| panic!("no upload file: {:?}", normalised.findings));
    (elapsed, upload.bytes.len(), lowest_dpi(&upload.bytes))
}

/// The lowest resolution on A4 of the upload PDF's page images.
fn lowest_dpi(pdf: &[u8]) -> f32 {
    let document = licpack::dossier::inspect::pdf::load(pdf).expect("the upload PDF reads");
    document
        .get_pages()
        .values()
        .map(|&page| {
            let image = licpack::dossier::inspect::pdf::page_image(&document, page)
                .expect("each page is one image");
            licpack::dossier::inspect::dpi_on_a4(image.width, image.height)
        })
        .fold(f32::MAX, f32::min)
}

fn ghostscript(pdf: &Path, out: &Path) -> (Duration, usize) {
    let _ = std::fs::remove_file(out);
    let start = Instant::now();
    run(
        "gs",
        &[
            "-q",
            "-dNOPAUSE",
            "-dBATCH",
            "-sDEVICE=pdfwrite",
            "-dPDFSETTINGS=/ebook",
            &format!("-sOutputFile={}", out.display()),
            pdf.to_str().unwrap(),
        ],
    );
    let elapsed = start.elapsed();
    (
        elapsed,
        std::fs::metadata(out)
            .map(|m| m.len() as usize)
            .unwrap_or(0),
    )
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn main() {
    let rounds: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(7);
    let pdf = scanner_pdf();
    let input = std::fs::metadata(&pdf).unwrap().len();
    let gs_out = pdf.with_file_name("gs-ebook.pdf");
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    let (mut our_bytes, mut our_dpi, mut gs_bytes) = (0, 0.0, 0);
    for round in 0..rounds {
        // Alternate who goes first, so neither always meets a warm or a cold cache.
        let order = if round.is_multiple_of(2) {
            [0, 1]
        } else {
            [1, 0]
        };
        for who in order {
            if who == 0 {
                let (t, b, d) = licpack_upload(&pdf);
                ours.push(t);
                (our_bytes, our_dpi) = (b, d);
            } else {
                let (t, b) = ghostscript(&pdf, &gs_out);
                theirs.push(t);
                gs_bytes = b;
            }
        }
    }
    assert!(our_bytes <= 5 * 1024 * 1024, "over 5 MB: {our_bytes}");
    assert!(our_dpi >= 149.5, "below 150 dpi: {our_dpi}");
    let (ours, theirs) = (median(ours), median(theirs));
    println!(
        "input: {PAGES} pages at 600 dpi, {:.1} MB",
        input as f64 / 1e6
    );
    println!("| tool | median time | output | resolution |");
    println!("| --- | ---: | ---: | ---: |");
    println!(
        "| licpack (inspect + normalise → upload PDF) | {:.2} s | {our_bytes} B | {our_dpi:.0} dpi |",
        ours.as_secs_f64()
    );
    println!(
        "| gs -dPDFSETTINGS=/ebook | {:.2} s | {gs_bytes} B | 150 dpi |",
        theirs.as_secs_f64()
    );
    println!(
        "time ratio licpack/gs: {:.3} (bar ≤ 1, aim ≤ 0.5; medians of {rounds} alternating rounds)",
        ours.as_secs_f64() / theirs.as_secs_f64()
    );
}
