//! The peer comparison: the same renewal packet compiled by Typst from `packet.typ` (the
//! checklist and three letters with their translations, the same font file licpack embeds), measured
//! beside licpack on three counts — a single run with process start, the file size, and 200
//! packets two at a time — each printed with its ratio and the goal it is held to. Timed
//! runs alternate between the two (licpack, Typst, licpack, …) and each side's median is
//! compared, so a change in a shared machine's load does not fall on one side only.
//!
//! Runs only when a `typst` binary is found (`$TYPST`, else `typst` on PATH) and the `.typ`
//! file is there (`$LICPACK_TYPST_PACKET`, else `../shared/bench/packet.typ`); otherwise it
//! says what is missing and how to get it, and the rest of the benchmark goes on.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

const SINGLE_RUNS: usize = 15;
const BATCH: usize = 200;
/// Rounds of the batch comparison (each side's median is reported).
const BATCH_ROUNDS: usize = 3;

/// Goals from the issue: licpack's figure divided by Typst's.
const SINGLE_GOAL: f64 = 0.50;
const SIZE_GOAL: f64 = 0.75;
const BATCH_GOAL: f64 = 0.125;

struct Peer {
    typst: PathBuf,
    source: PathBuf,
    fonts: PathBuf,
}

pub fn compare(licpack: &Path, dir: &Path) {
    let Some(peer) = find_peer(dir) else {
        return;
    };
    let version = Command::new(&peer.typst)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    println!("\npeer: {version}, {}", peer.source.display());
    let sample = root().join("samples/callcenter-renewal.toml");

    // Interleaved, so a change in the machine's load falls on both sides alike.
    let (ours, theirs) = interleaved_medians(
        SINGLE_RUNS,
        |i| {
            run(licpack_generate(
                licpack,
                &sample,
                &dir.join(format!("ours-{i}")),
            ))
        },
        |i| run(peer.compile(&dir.join(format!("typst-{i}.pdf")))),
    );
    report(
        "single run, process start included (median ms)",
        ours * 1000.0,
        theirs * 1000.0,
        SINGLE_GOAL,
    );

    let our_bytes = newest_pdf(&dir.join("ours-0")).map_or(0, |p| file_len(&p));
    let their_bytes = file_len(&dir.join("typst-0.pdf"));
    report(
        "file size (KB)",
        our_bytes as f64 / 1024.0,
        their_bytes as f64 / 1024.0,
        SIZE_GOAL,
    );

    let clients = dir.join("peer-clients");
    std::fs::create_dir_all(&clients).expect("client folder");
    for i in 0..BATCH {
        std::fs::write(
            clients.join(format!("client-{i:05}.toml")),
            super::client(i),
        )
        .expect("client file");
    }
    let batch = |round: usize| {
        let mut batch = Command::new(licpack);
        batch.args([
            "batch",
            "--jobs",
            "2",
            "--quiet",
            "--date",
            "2026-11-25",
            "--out",
        ]);
        batch
            .arg(dir.join(format!("peer-out-{round}")))
            .arg(&clients);
        run(batch);
    };
    let peer_batch = |round: usize| {
        two_at_a_time(BATCH, |i| {
            run(peer.compile(&dir.join(format!("typst-batch-{round}-{i}.pdf"))))
        });
    };
    let (ours, theirs) = interleaved_medians(BATCH_ROUNDS, batch, peer_batch);
    report(
        &format!("{BATCH} packets, 2 at a time (median of {BATCH_ROUNDS}, s)"),
        ours,
        theirs,
        BATCH_GOAL,
    );
}

impl Peer {
    fn compile(&self, out: &Path) -> Command {
        let mut cmd = Command::new(&self.typst);
        cmd.arg("compile")
            .arg("--font-path")
            .arg(&self.fonts)
            .arg("--ignore-system-fonts")
            .arg(&self.source)
            .arg(out);
        cmd
    }
}

fn find_peer(dir: &Path) -> Option<Peer> {
    let typst = std::env::var_os("TYPST")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("typst"));
    if Command::new(&typst).arg("--version").output().is_err() {
        println!(
            "\npeer comparison skipped: no typst binary (install it with \
             `cargo install typst-cli --locked`, or set TYPST=/path/to/typst)"
        );
        return None;
    }
    let source = std::env::var_os("LICPACK_TYPST_PACKET")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/bench/packet.typ"));
    if !source.is_file() {
        println!(
            "\npeer comparison skipped: {} not found (set LICPACK_TYPST_PACKET)",
            source.display()
        );
        return None;
    }
    let source = with_our_font(&source, dir);
    Some(Peer {
        typst,
        source,
        fonts: root().join("fonts"),
    })
}

/// The built-in body face, by the family name Typst knows it by.
const OUR_REGULAR: &str = "fonts/NotoSerifSC-Regular.subset.otf";

/// `packet.typ` asks for "Noto Serif SC" (the TrueType conversion licpack embedded when the
/// file was written); on equal work Typst sets the same font file licpack embeds, so a copy
/// naming that face's family is compiled instead.
fn with_our_font(source: &Path, dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(source).expect("packet.typ is readable");
    let data = std::fs::read(root().join(OUR_REGULAR)).expect("the built-in font");
    let face = ttf_parser::Face::parse(&data, 0).expect("the built-in font parses");
    let family = face
        .names()
        .into_iter()
        .filter(|n| n.name_id == ttf_parser::name_id::FAMILY && n.is_unicode())
        .find_map(|n| n.to_string())
        .expect("the built-in font has a family name");
    let asked = "\"Noto Serif SC\"";
    if family == "Noto Serif SC" || !text.contains(asked) {
        return source.to_path_buf();
    }
    println!("peer font: {family} ({OUR_REGULAR} and its bold), the faces licpack embeds");
    let copy = dir.join("packet.typ");
    std::fs::write(&copy, text.replace(asked, &format!("\"{family}\""))).expect("copy");
    copy
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn licpack_generate(licpack: &Path, sample: &Path, out: &Path) -> Command {
    let mut cmd = Command::new(licpack);
    cmd.arg("generate")
        .arg(sample)
        .arg("--out")
        .arg(out)
        .args(["--date", "2026-11-25", "--force"]);
    cmd
}

fn run(mut cmd: Command) {
    let output = cmd.output().expect("the program starts");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Runs `ours(i)` then `theirs(i)` for `i` in `0..rounds` and returns the median seconds
/// of each side, printing every round when there are few.
fn interleaved_medians(rounds: usize, ours: impl Fn(usize), theirs: impl Fn(usize)) -> (f64, f64) {
    let time = |f: &dyn Fn(usize), i: usize| {
        let start = Instant::now();
        f(i);
        start.elapsed().as_secs_f64()
    };
    let (mut a, mut b): (Vec<f64>, Vec<f64>) = (0..rounds)
        .map(|i| (time(&ours, i), time(&theirs, i)))
        .unzip();
    if rounds <= 5 {
        let list = |v: &[f64]| {
            v.iter()
                .map(|s| format!("{s:.2}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        println!("  rounds (s): licpack {}; typst {}", list(&a), list(&b));
    }
    a.sort_by(f64::total_cmp);
    b.sort_by(f64::total_cmp);
    (a[rounds / 2], b[rounds / 2])
}

/// `n` jobs on two worker threads, as `xargs -P2` would run them.
fn two_at_a_time(n: usize, job: impl Fn(usize) + Sync) {
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                job(i);
            });
        }
    });
}

fn newest_pdf(dir: &Path) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .flat_map(|company| std::fs::read_dir(company.path()).into_iter().flatten())
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
}

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

fn report(what: &str, ours: f64, theirs: f64, goal: f64) {
    let ratio = ours / theirs;
    let verdict = if ratio <= goal { "met" } else { "NOT met" };
    println!(
        "  {what:<48} licpack {ours:>8.2}  typst {theirs:>8.2}  ratio {ratio:.3} (goal ≤ {goal:.3}: {verdict})"
    );
}
