//! End-to-end: batch runs over a client book — isolation of bad clients, summaries, reruns
//! that write nothing, sharding, the deadlines calendar, and interruption.

use crate::common;

use std::path::Path;

use common::*;

/// 20 valid clients (two in a subfolder) and 3 invalid ones, plus an agency.toml to ignore.
fn client_book(dir: &Path) {
    std::fs::create_dir_all(dir.join("north")).unwrap();
    for i in 0..20 {
        let sub = if i < 2 { "north/" } else { "" };
        std::fs::write(
            dir.join(format!("{sub}client-{i:02}.toml")),
            synthetic_client(i),
        )
        .unwrap();
    }
    let bad_uscc = synthetic_client(90).replace(&synthetic_uscc(90), "91110108MA00000900");
    std::fs::write(dir.join("bad-uscc.toml"), bad_uscc).unwrap();
    std::fs::write(dir.join("bad-syntax.toml"), "[company\nname = 1").unwrap();
    std::fs::write(
        dir.join("bad-province.toml"),
        synthetic_client(91).replace("\"beijing\"", "\"peking\""),
    )
    .unwrap();
    std::fs::write(dir.join("agency.toml"), "name = \"not a client\"").unwrap();
}

fn batch(input: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    run_dated("batch", input, out, extra)
}

#[test]
fn bad_clients_are_reported_and_the_rest_written_and_a_rerun_writes_nothing() {
    let book = tempfile::tempdir().unwrap();
    client_book(book.path());
    let out = tempfile::tempdir().unwrap();
    let o = batch(book.path(), out.path(), &["--jobs", "2"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let last = stdout(&o).lines().last().unwrap_or_default().to_string();
    assert!(
        last.contains("20 packets written") && last.contains("3 clients failed"),
        "{last}"
    );
    let pdfs: Vec<_> = pdfs_in(out.path())
        .into_iter()
        .filter(|p| !p.ends_with("summary.pdf"))
        .collect();
    assert_eq!(pdfs.len(), 20);
    for p in &pdfs {
        assert!(
            std::fs::read(p).unwrap().ends_with(b"%%EOF\n")
                || std::fs::read(p).unwrap().ends_with(b"%%EOF")
        );
    }
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("summary.json")).unwrap()).unwrap();
    let rows = summary.as_array().unwrap();
    let failed: Vec<_> = rows.iter().filter(|r| r["status"] == "failed").collect();
    assert_eq!(failed.len(), 3);
    for name in ["bad-uscc.toml", "bad-syntax.toml", "bad-province.toml"] {
        assert!(
            failed
                .iter()
                .any(|r| r["error"].as_str().unwrap().contains(name)),
            "{name} not named"
        );
    }
    assert!(rows.iter().any(|r| r["next_deadline"] == "2027-01-30"));
    // Errors span several lines; they stay inside one quoted CSV field.
    let mut csv = csv::Reader::from_path(out.path().join("summary.csv")).unwrap();
    let records: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 23);
    assert_eq!(
        records.iter().filter(|r| &r[5] == "failed").count(),
        3,
        "{records:?}"
    );
    let summary_text = pdf_text_compact(&out.path().join("summary.pdf"));
    assert!(summary_text.contains("北京云声0号科技有限公司") && summary_text.contains("失败"));

    let mtimes: Vec<_> = pdfs
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().modified().unwrap())
        .collect();
    let again = batch(book.path(), out.path(), &[]);
    assert!(
        stdout(&again).contains("0 packets written, 0 replaced, 20 unchanged"),
        "{}",
        stdout(&again)
    );
    let after: Vec<_> = pdfs
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().modified().unwrap())
        .collect();
    assert_eq!(mtimes, after, "a rerun must not touch unchanged packets");
}

#[test]
fn batch_and_generate_give_the_same_bytes_whatever_the_jobs() {
    let book = tempfile::tempdir().unwrap();
    client_book(book.path());
    let (one, two, single) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    batch(book.path(), one.path(), &["--jobs", "1"]);
    batch(book.path(), two.path(), &["--jobs", "2"]);
    let client = book.path().join("client-07.toml");
    // The book's agency.toml brands every batch packet; generate gets it explicitly.
    let agency = book.path().join("agency.toml");
    assert!(licpack(&[
        "generate",
        client.to_str().unwrap(),
        "--out",
        single.path().to_str().unwrap(),
        "--date",
        TODAY,
        "--agency",
        agency.to_str().unwrap(),
    ])
    .status
    .success());
    let alone = &pdfs_in(single.path())[0];
    let rel = alone.strip_prefix(single.path()).unwrap();
    let bytes = std::fs::read(alone).unwrap();
    assert_eq!(std::fs::read(one.path().join(rel)).unwrap(), bytes);
    assert_eq!(std::fs::read(two.path().join(rel)).unwrap(), bytes);
}

#[test]
fn shards_cover_every_client_exactly_once() {
    let book = tempfile::tempdir().unwrap();
    client_book(book.path());
    let mut seen = Vec::new();
    for k in 1..=3 {
        let out = tempfile::tempdir().unwrap();
        batch(
            book.path(),
            out.path(),
            &["--shard", &format!("{k}/3"), "--quiet"],
        );
        let summary: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.path().join("summary.json")).unwrap())
                .unwrap();
        seen.extend(
            summary
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["input"].as_str().unwrap().to_string()),
        );
    }
    seen.sort();
    let before = seen.len();
    seen.dedup();
    assert_eq!(before, seen.len(), "a client appeared in two shards");
    assert_eq!(seen.len(), 23, "every client (valid or not) in some shard");
}

#[test]
fn deadlines_calendar_parses_with_expected_events() {
    let book = tempfile::tempdir().unwrap();
    client_book(book.path());
    let ics = book.path().join("due.ics");
    let o = licpack(&[
        "deadlines",
        book.path().join("client-03.toml").to_str().unwrap(),
        "--within",
        "200",
        "--ics",
        ics.to_str().unwrap(),
        "--date",
        TODAY,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("2027-01-30"));
    let text = std::fs::read_to_string(&ics).unwrap();
    let cal: icalendar::Calendar = text.parse().expect("valid iCalendar");
    use icalendar::Component;
    let events: Vec<_> = cal.components.iter().filter_map(|c| c.as_event()).collect();
    let summaries: Vec<_> = events.iter().filter_map(|e| e.get_summary()).collect();
    assert!(
        summaries
            .iter()
            .any(|s| s.contains("B2-20220003") && s.contains("Renewal filing deadline")),
        "{summaries:?}"
    );
    assert!(summaries.iter().any(|s| s.contains("Annual report")));
    let uid = format!("{}-B2-20220003-renewal-submit@licpack", synthetic_uscc(3));
    assert!(events.iter().any(|e| e.get_uid() == Some(uid.as_str())));
}

#[test]
fn a_killed_batch_leaves_no_partial_pdf() {
    let book = tempfile::tempdir().unwrap();
    for i in 0..60 {
        std::fs::write(
            book.path().join(format!("c{i:02}.toml")),
            synthetic_client(i),
        )
        .unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_licpack"))
        .args([
            "batch",
            book.path().to_str().unwrap(),
            "--out",
            out.path().to_str().unwrap(),
            "--date",
            TODAY,
            "--jobs",
            "1",
            "--quiet",
        ])
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(400));
    let _ = child.kill();
    let _ = child.wait();
    for p in pdfs_in(out.path()) {
        let bytes = std::fs::read(&p).unwrap();
        assert!(bytes.starts_with(b"%PDF-"), "{}", p.display());
        lopdf::Document::load_mem(&bytes)
            .unwrap_or_else(|e| panic!("{} is partial: {e}", p.display()));
    }
}

#[test]
fn two_files_for_the_same_packet_are_both_refused_and_the_rest_written() {
    // A copy of a client kept beside the original, edited: which of the two is right is for
    // a person to say, so neither is written (before, one silently replaced the other).
    let book = tempfile::tempdir().unwrap();
    let original = synthetic_client(1);
    let edited = original.replace("legal_rep = \"张伟\"", "legal_rep = \"王芳\"");
    assert_ne!(original, edited);
    std::fs::write(book.path().join("client.toml"), &original).unwrap();
    std::fs::write(book.path().join("client-copy.toml"), &edited).unwrap();
    std::fs::write(book.path().join("other.toml"), synthetic_client(2)).unwrap();
    let out = tempfile::tempdir().unwrap();
    for _ in 0..3 {
        let o = batch(book.path(), out.path(), &["--jobs", "2", "--quiet"]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains(
                "client.toml: the same company, licence and procedure as client-copy.toml"
            ),
            "{err}"
        );
        assert!(
            err.contains(
                "client-copy.toml: the same company, licence and procedure as client.toml"
            ),
            "{err}"
        );
        let packets: Vec<_> = pdfs_in(out.path())
            .into_iter()
            .filter(|p| !p.ends_with("summary.pdf"))
            .collect();
        assert_eq!(packets.len(), 1, "only the other client: {packets:?}");
        assert!(
            packets[0].to_string_lossy().contains("北京云声2号"),
            "{packets:?}"
        );
    }
}

#[test]
fn a_batch_whose_reader_went_away_still_writes_every_packet() {
    // `licpack batch … 2>&1 | head -2`: progress lines go nowhere after the first, but the
    // packets and summaries are the product and must all be written.
    use std::process::{Command, Stdio};
    let book = tempfile::tempdir().unwrap();
    for i in 0..6 {
        std::fs::write(book.path().join(format!("c{i}.toml")), synthetic_client(i)).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_licpack"))
        .args(["batch", book.path().to_str().unwrap(), "--out"])
        .arg(out.path())
        .args(["--date", TODAY, "--jobs", "2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    drop(child.stderr.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{status:?}");
    let written = pdfs_in(out.path());
    assert_eq!(
        written.len(),
        6 + 1,
        "six packets and the summary: {written:?}"
    );
    assert!(out.path().join("summary.json").is_file());
    let leftovers: Vec<_> = files_under(out.path())
        .into_iter()
        .filter(|p| p.to_string_lossy().contains(".licpack-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_manifest_naming_a_file_twice_makes_it_once() {
    let book = tempfile::tempdir().unwrap();
    std::fs::write(book.path().join("a.toml"), synthetic_client(3)).unwrap();
    let manifest = book.path().join("book.toml");
    std::fs::write(&manifest, "files = [\"a.toml\", \"./a.toml\"]\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = batch(&manifest, out.path(), &["--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("1 clients: 1 packets written"),
        "{}",
        stdout(&o)
    );
}
