//! Batch throughput benchmark: generates N synthetic call-centre clients (renewal) and runs
//! the batch in-process with 1 and 2 jobs, reporting packets/second, wall time, peak memory
//! and mean bytes per packet; then times single `generate` runs of the release binary
//! (process start included). A machine reference (a fixed deflate workload) is printed first,
//! so that runs on differently loaded virtual machines can be compared.
//!
//! Before the in-process batches, when a `typst` binary is at hand, the same renewal packet
//! against Typst on equal work (`throughput/typst.rs`).
//!
//! Run: `cargo bench --bench throughput` (sizes 1, 100, 1000) or
//! `cargo bench --bench throughput -- 1 100` for other sizes.

#[path = "shared/memory.rs"]
mod memory;
use memory::peak_rss_mb;

#[path = "throughput/typst.rs"]
mod typst;

use std::path::Path;
use std::time::Instant;

use licpack::batch::{run, BatchOptions, Input};
use licpack::packet::Engine;
use licpack::templates::Lang;

const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [usize; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A valid USCC for serial `i` (GB 32100-2015 check character).
fn uscc(i: usize) -> String {
    let body = format!("91110108MA{:07}", i);
    let sum: usize = body
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| ALPHABET.iter().position(|a| *a == b).unwrap_or(0) * w)
        .sum();
    let check = ALPHABET[(31 - sum % 31) % 31] as char;
    format!("{body}{check}")
}

const SURNAMES: [&str; 8] = [
    "云声", "华信", "远景", "星河", "博通", "鼎盛", "恒达", "睿智",
];

fn client(i: usize) -> String {
    let name = format!("北京{}{}科技有限公司", SURNAMES[i % 8], i);
    format!(
        r#"[company]
name = "{name}"
name_en = "Beijing Synthetic {i} Technology Co., Ltd."
uscc = "{uscc}"
legal_rep = "张伟"
legal_rep_en = "Zhang Wei"
address = "北京市海淀区中关村大街{n}号"
province = "beijing"
registered_capital = 10000000
contact = {{ name = "李娜", phone = "010-62345678", email = "lina@example.com" }}

[[license]]
number = "B2-2022{serial:04}"
scope = "nationwide"
services = ["call-center"]
issued = 2022-04-30
expires = 2027-04-30

[[procedure]]
type = "renewal"
license = "B2-2022{serial:04}"

[materials]
business-license-copy = "ready"
"#,
        uscc = uscc(i),
        n = i % 200 + 1,
        serial = i % 10_000,
    )
}

fn bench(engine: &Engine, dir: &Path, n: usize, jobs: usize) {
    let clients = dir.join(format!("clients-{n}"));
    std::fs::create_dir_all(&clients).unwrap();
    let inputs: Vec<Input> = (0..n)
        .map(|i| {
            let path = clients.join(format!("client-{i:05}.toml"));
            std::fs::write(&path, client(i)).unwrap();
            Input {
                rel: format!("client-{i:05}.toml"),
                path,
            }
        })
        .collect();
    let out = dir.join(format!("out-{n}-{jobs}"));
    let opts = BatchOptions {
        out: out.clone(),
        jobs: Some(jobs),
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        lang: Lang::Bilingual,
        force: true,
    };
    let start = Instant::now();
    let report = run(engine, &inputs, &opts, &|_, _| {});
    let wall = start.elapsed().as_secs_f64();
    let failed = report.rows.iter().filter(|r| r.error.is_some()).count();
    let bytes: u64 = report
        .rows
        .iter()
        .filter_map(|r| r.path.as_ref())
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let packets = report.rows.len() - failed;
    println!(
        "N={n:>5} jobs={jobs}  wall {wall:>7.3} s  {:>8.1} packets/s  mean {:>6.1} KB/packet  peak RSS {:>6.1} MB  failed {failed}",
        packets as f64 / wall,
        bytes as f64 / packets.max(1) as f64 / 1024.0,
        peak_rss_mb(),
    );
    let _ = std::fs::remove_dir_all(&out);
}

fn single_generate(dir: &Path) {
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/licpack");
    if !bin.exists() {
        println!("single generate: build the release binary first (cargo build --release)");
        return;
    }
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/callcenter-renewal.toml");
    let mut times = Vec::new();
    for i in 0..10 {
        let out = dir.join(format!("single-{i}"));
        let start = Instant::now();
        let status = std::process::Command::new(&bin)
            .args([
                "generate",
                sample.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "--date",
                "2026-11-25",
            ])
            .output()
            .unwrap();
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        assert!(status.status.success());
    }
    times.sort_by(f64::total_cmp);
    println!(
        "single generate (process start included, 10 runs): median {:.1} ms, min {:.1} ms",
        times[5], times[0]
    );
}

/// Pages and bytes of the renewal sample's packet, and of its checklist alone (the document
/// the issue's 3-page Typst comparison is about).
fn sample_sizes(engine: &Engine) {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/callcenter-renewal.toml");
    let company = engine.load_company(&sample).expect("valid sample");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let plans = licpack::plan::plan(&company, &engine.catalog, today, &Default::default())
        .expect("sample plans");
    let mut packet = engine.compose(&plans[0], Lang::Bilingual).expect("compose");
    let documents = packet.documents.len();
    let whole = engine.write_packet(&packet).expect("packet");
    let whole_pages = engine.lay_out_packet(&packet).expect("layout").pages.len();
    packet.documents.truncate(1);
    let checklist = engine.write_packet(&packet).expect("checklist");
    let checklist_pages = engine.lay_out_packet(&packet).expect("layout").pages.len();
    println!(
        "renewal sample: {documents} documents, {whole_pages} pages, {:.1} KB; checklist alone: {checklist_pages} pages, {:.1} KB",
        whole.len() as f64 / 1024.0,
        checklist.len() as f64 / 1024.0
    );
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1, 100, 1000]
    } else {
        sizes
    };
    let dir = tempfile::tempdir().unwrap();
    let start = Instant::now();
    let engine = Engine::new(None).expect("built-in templates load");
    println!(
        "engine (catalog + templates) built in {:.1} ms; fonts parse lazily on first packet",
        start.elapsed().as_secs_f64() * 1000.0
    );
    println!(
        "machine: {} cores; {}",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        cpu_model()
    );
    println!(
        "machine reference: {:.1} ms to deflate 32 MB of fixed text (compare runs by this first)",
        reference_ms()
    );
    sample_sizes(&engine);
    formats_cost(&engine);
    // The peer comparison comes before the large in-process batches, which delete thousands
    // of files: for a minute after a deletion, ext4 without a journal (this machine's /tmp)
    // looks at each recently freed inode before it hands out another, which showed as 7 % of
    // a profiled 200-client batch's samples, all of it on licpack's side (its 400 new files
    // and folders against Typst's 200 files).
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/licpack");
    if bin.exists() {
        typst::compare(&bin, dir.path());
    }
    for &n in &sizes {
        for jobs in [1, 2] {
            bench(&engine, dir.path(), n, jobs);
        }
    }
    single_generate(dir.path());
}

/// Milliseconds and bytes per packet of the renewal sample as PDF, as DOCX and as both (one
/// composition shared, as `--format pdf,docx` does), single-threaded. The three are timed in
/// turn in each of 40 rounds, so a load change on a shared machine hits all of them; best
/// and median are printed.
fn formats_cost(engine: &Engine) {
    use licpack::formats::Format;
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/callcenter-renewal.toml");
    let company = engine.load_company(&sample).expect("valid sample");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let plans = licpack::plan::plan(&company, &engine.catalog, today, &Default::default())
        .expect("sample plans");
    let sets: [&[Format]; 3] = [
        &[Format::Pdf],
        &[Format::Docx],
        &[Format::Pdf, Format::Docx],
    ];
    let mut times = vec![Vec::new(); sets.len()];
    let mut bytes = vec![Vec::new(); sets.len()];
    for _ in 0..40 {
        for (i, formats) in sets.iter().enumerate() {
            let start = Instant::now();
            let outputs = engine
                .build_formats(&plans[0], Lang::Bilingual, formats)
                .expect("packet builds");
            times[i].push(start.elapsed().as_secs_f64() * 1000.0);
            bytes[i] = outputs.iter().map(|o| o.bytes.len()).collect();
        }
    }
    let mut best = Vec::new();
    for (i, formats) in sets.iter().enumerate() {
        times[i].sort_by(f64::total_cmp);
        let names: Vec<_> = formats.iter().map(|f| f.extension()).collect();
        let kb: Vec<String> = bytes[i]
            .iter()
            .map(|b| format!("{:.1} KB", *b as f64 / 1024.0))
            .collect();
        println!(
            "format {:<8}  best {:>6.2} ms/packet, median {:>6.2} ms  {}",
            names.join(","),
            times[i][0],
            times[i][20],
            kb.join(" + ")
        );
        best.push((times[i][0], times[i][20]));
    }
    println!(
        "pdf,docx costs {:.2}x pdf alone (best), {:.2}x (median)",
        best[2].0 / best[0].0,
        best[2].1 / best[0].1
    );
}

/// A fixed single-threaded workload like the packet's heaviest step (deflate), best of five:
/// virtual machines of the same kind differ by tens of percent from day to day, and this
/// number tells whether a change in the figures is the code's or the machine's.
fn reference_ms() -> f64 {
    use std::io::Write;
    let text: Vec<u8> = (0..32 * 1024 * 1024u32)
        .map(|i| {
            b"0123456789abcdefghijklmnopqrstuvwxyz "
                [(i.wrapping_mul(2_654_435_761) >> 27) as usize % 37]
        })
        .collect();
    (0..5)
        .map(|_| {
            let start = Instant::now();
            let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
            z.write_all(&text).unwrap();
            std::hint::black_box(z.finish().unwrap());
            start.elapsed().as_secs_f64() * 1000.0
        })
        .fold(f64::MAX, f64::min)
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map_or_else(|| "unknown CPU".into(), |s| s.trim().to_string())
}
