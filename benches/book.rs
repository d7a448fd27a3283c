//! Client-book benchmark: writes a workbook of N synthetic clients (one renewal row each,
//! dates as date cells) and times reading and checking it — in-process (`sheet::read_book`,
//! with peak memory) and as `licpack check BOOK` through the release binary (process start
//! included). The bar: 5,000 rows checked in under 2 s.
//!
//! Run: `cargo bench --bench book` (5,000 rows) or `cargo bench --bench book -- 20000`.

#[path = "shared/memory.rs"]
mod memory;
use memory::peak_rss_mb;

use std::path::Path;
use std::time::Instant;

use licpack::packet::Engine;
use licpack::sheet::SPECS;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [usize; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A valid USCC for serial `i` (GB 32100-2015 check character).
fn uscc(i: usize) -> String {
    let body = format!("91110108MA{i:07}");
    let sum: usize = body
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| ALPHABET.iter().position(|a| *a == b).unwrap_or(0) * w)
        .sum();
    format!("{body}{}", ALPHABET[(31 - sum % 31) % 31] as char)
}

fn write_book(path: &Path, n: usize) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, spec) in SPECS.iter().enumerate() {
        sheet.write_string(0, c as u16, spec.label).unwrap();
    }
    let column = |key: &str| SPECS.iter().position(|s| s.key == key).unwrap() as u16;
    let issued = ExcelDateTime::from_ymd(2022, 4, 30).unwrap();
    let expires = ExcelDateTime::from_ymd(2027, 4, 30).unwrap();
    for i in 0..n {
        let r = i as u32 + 1;
        let texts = [
            ("company.name", format!("北京云声{i}号科技有限公司")),
            ("company.uscc", uscc(i)),
            ("company.legal_rep", "张伟".into()),
            (
                "company.address",
                format!("北京市海淀区中关村大街{}号", i % 200 + 1),
            ),
            ("company.province", "beijing".into()),
            ("license.number", format!("B2-2022{:04}", i % 10_000)),
            ("license.scope", "nationwide".into()),
            ("license.services", "call-center".into()),
            ("procedure.type", "renewal".into()),
        ];
        for (key, text) in texts {
            sheet.write_string(r, column(key), text).unwrap();
        }
        sheet
            .write_number(r, column("company.registered_capital"), 1e7)
            .unwrap();
        sheet
            .write_date_with_format(r, column("license.issued"), &issued, &date)
            .unwrap();
        sheet
            .write_date_with_format(r, column("license.expires"), &expires, &date)
            .unwrap();
    }
    book.save(path).unwrap();
}

fn main() {
    let n = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(5000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clients.xlsx");
    write_book(&path, n);
    let size = std::fs::metadata(&path).unwrap().len();
    let engine = Engine::new(None).expect("built-in templates load");
    let before = peak_rss_mb();
    let start = Instant::now();
    let book = licpack::sheet::read_book(&path, &engine.catalog).expect("readable");
    let wall = start.elapsed().as_secs_f64();
    let valid = book.clients.iter().filter(|c| c.company.is_ok()).count();
    println!(
        "{n} rows ({:.0} KB .xlsx): read_book {wall:.3} s, {valid} valid clients, peak RSS {:.1} MB ({:.1} MB before reading)",
        size as f64 / 1024.0,
        peak_rss_mb(),
        before
    );
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/licpack");
    if !bin.exists() {
        println!("licpack check: build the release binary first (cargo build --release)");
        return;
    }
    let mut times = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        let o = std::process::Command::new(&bin)
            .args(["check", path.to_str().unwrap()])
            .output()
            .unwrap();
        times.push(start.elapsed().as_secs_f64());
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    times.sort_by(f64::total_cmp);
    println!(
        "licpack check (process start included, 3 runs): median {:.3} s, min {:.3} s",
        times[1], times[0]
    );
}
