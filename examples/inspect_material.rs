//! Inspects and normalises the files of one material, as the dossier stage will, and writes
//! its upload files: a way to try the readers on real files, and what the memory test runs
//! under `/usr/bin/time -v` until the `dossier` command exists.
//!
//! `cargo run --release --example inspect_material -- [--max-bytes N] OUT_DIR FILE...`
//! (N replaces the 5 MB upload limit) prints one JSON line
//! per file (facts and findings), then the upload files, actions and findings of the
//! material, then `peak-rss-kb N` (VmHWM).

use std::path::PathBuf;

use licpack::catalog::Text;
use licpack::dossier::inspect::inspect;
use licpack::dossier::matching::SourceFile;
use licpack::dossier::normalise::normalise;
use licpack::dossier::rules::UploadRules;
use licpack::dossier::Slot;

fn main() {
    // As `licpack dossier` does: large page buffers go back to the system when freed.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: sets an allocator parameter before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
    let mut args = std::env::args().skip(1).peekable();
    let mut rules = UploadRules::default();
    if args.peek().is_some_and(|a| a == "--max-bytes") {
        args.next();
        let limit = args.next().and_then(|n| n.parse().ok());
        rules.max_file_bytes = limit.expect("--max-bytes takes a number of bytes");
    }
    let out = PathBuf::from(
        args.next()
            .expect("usage: inspect_material OUT_DIR FILE..."),
    );
    let files: Vec<SourceFile> = args
        .map(|p| SourceFile {
            display: p.clone(),
            path: PathBuf::from(p),
        })
        .collect();
    let inspected: Vec<_> = files.iter().map(inspect).collect();
    for file in &inspected {
        println!("{}", serde_json::to_string(file).expect("facts serialise"));
    }
    let slot = Slot {
        number: 1,
        id: "material".into(),
        name: Text {
            zh: "材料".into(),
            en: "Material".into(),
        },
        aliases: Vec::new(),
        colour_required: false,
        copy: false,
        letter: false,
    };
    let normalised = normalise(&slot, &inspected, &rules);
    std::fs::create_dir_all(&out).expect("the output folder can be made");
    for file in &normalised.upload {
        let path = out.join(&file.name);
        assert!(
            !path.exists(),
            "{} exists; not overwriting it",
            path.display()
        );
        std::fs::write(&path, &file.bytes).expect("the upload file is written");
        println!("upload {} {}", file.name, file.bytes.len());
    }
    println!("pages {}", normalised.pages.len());
    for action in &normalised.actions {
        println!("action {action}");
    }
    for finding in &normalised.findings {
        println!("finding {} {}", finding.code, finding.message);
    }
    println!("peak-rss-kb {}", peak_rss_kb());
}

/// The process's peak resident set (VmHWM), in kB; 0 where /proc is missing.
fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
