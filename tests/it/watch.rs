//! `generate --watch` from outside: the binary keeps running, regenerates the packet when the
//! company file, a file under `--templates` or the `--materials` folder changes, prints an invalid edit's located error
//! and goes on watching, replaces the packets it wrote itself but never a file someone else
//! changed. Every wait is bounded; the child is killed however the test ends.

use crate::common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;

/// Long enough for a loaded machine to rebuild a packet several times over.
const PATIENCE: Duration = Duration::from_secs(90);

/// The running watch and everything it has printed so far.
struct Watch {
    child: Child,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn collect(stream: impl std::io::Read + Send + 'static) -> Arc<Mutex<String>> {
    let text = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&text);
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            let mut all = sink.lock().unwrap();
            all.push_str(&line);
            all.push('\n');
        }
    });
    text
}

impl Watch {
    fn start(company: &Path, out: &Path, templates: &Path) -> Watch {
        Watch::start_with(
            company,
            out,
            &["--templates".as_ref(), templates.as_os_str()],
        )
    }

    fn start_with(company: &Path, out: &Path, extra: &[&std::ffi::OsStr]) -> Watch {
        let mut child = Command::new(env!("CARGO_BIN_EXE_licpack"))
            .args(["generate", company.to_str().unwrap(), "--out"])
            .arg(out)
            .args(["--date", TODAY])
            .args(extra)
            .arg("--watch")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let stdout = collect(child.stdout.take().unwrap());
        let stderr = collect(child.stderr.take().unwrap());
        Watch {
            child,
            stdout,
            stderr,
        }
    }

    fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits until `done` holds, failing with everything printed when it does not in time.
    fn until(&mut self, what: &str, mut done: impl FnMut(&Watch) -> bool) {
        let start = Instant::now();
        while !done(self) {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "the watch exited ({status}) before {what}: {}",
                    self.stderr()
                );
            }
            assert!(
                start.elapsed() < PATIENCE,
                "no {what} within {PATIENCE:?}; stdout: {}\nstderr: {}",
                self.stdout(),
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits for the next "watching for changes" line after `seen` of them.
    fn until_idle(&mut self, seen: usize) {
        self.until("idle watch", |w| {
            w.stderr().matches("watching for changes").count() > seen
        });
    }

    fn idles(&self) -> usize {
        self.stderr().matches("watching for changes").count()
    }
}

fn the_pdf(out: &Path) -> Option<PathBuf> {
    let pdfs = pdfs_in(out);
    (pdfs.len() == 1).then(|| pdfs[0].clone())
}

fn pdf_says(out: &Path, text: &str) -> bool {
    the_pdf(out).is_some_and(|p| {
        std::fs::read(&p).is_ok_and(|b| !b.is_empty()) && pdf_text_compact(&p).contains(text)
    })
}

// The address, printed in the letters; the company's name would also rename its folder.
const OLD_NAME: &str = "张江路88号";
const NEW_NAME: &str = "张江路99号";
const THIRD_NAME: &str = "张江路77号";

#[test]
fn watch_regenerates_reports_bad_edits_and_keeps_going() {
    let dir = tempfile::tempdir().unwrap();
    let company = dir.path().join("company.toml");
    let sample =
        std::fs::read_to_string(repo().join("samples/callcenter-legal-rep-change.toml")).unwrap();
    std::fs::write(&company, &sample).unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    let out = dir.path().join("out");

    let mut watch = Watch::start(&company, &out, &templates);
    watch.until("first packet", |_| pdf_says(&out, OLD_NAME));
    watch.until_idle(0);
    assert!(watch.stdout().contains("wrote "), "{}", watch.stdout());

    // An edit of the company file: the packet it wrote is replaced without --force.
    std::fs::write(&company, sample.replace(OLD_NAME, NEW_NAME)).unwrap();
    watch.until("the edited packet", |_| pdf_says(&out, NEW_NAME));
    watch.until("a replaced line", |w| w.stdout().contains("replaced "));

    // An invalid edit: its located error, and the packet stays as it was.
    let idle = watch.idles();
    let broken = sample.replace(
        "registration_change_date = 2026-11-10",
        "registration_change_date = \"soon\"",
    );
    assert_ne!(broken, sample);
    std::fs::write(&company, broken).unwrap();
    watch.until("the located error", |w| {
        w.stderr().contains("company.toml:")
    });
    watch.until_idle(idle);
    let error = watch.stderr();
    assert!(error.contains("registration_change_date"), "{error}");
    assert!(pdf_says(&out, NEW_NAME), "the packet is left alone");

    // Still watching: the next valid edit brings a new packet.
    std::fs::write(&company, sample.replace(OLD_NAME, THIRD_NAME)).unwrap();
    watch.until("the fixed packet", |_| pdf_says(&out, THIRD_NAME));

    // A packet someone else changed is never replaced.
    let pdf = the_pdf(&out).unwrap();
    std::fs::write(&pdf, b"edited by hand").unwrap();
    let idle = watch.idles();
    std::fs::write(&company, &sample).unwrap();
    watch.until_idle(idle);
    assert!(
        watch
            .stderr()
            .contains("already exists with different content"),
        "{}",
        watch.stderr()
    );
    assert_eq!(std::fs::read(&pdf).unwrap(), b"edited by hand");
}

#[test]
fn a_template_change_regenerates_the_packet() {
    let dir = tempfile::tempdir().unwrap();
    let company = dir.path().join("company.toml");
    std::fs::copy(repo().join("samples/callcenter-renewal.toml"), &company).unwrap();
    let templates = dir.path().join("templates");
    let calendar = templates.join("catalog/calendar");
    std::fs::create_dir_all(&calendar).unwrap();
    let out = dir.path().join("out");

    let mut watch = Watch::start(&company, &out, &templates);
    watch.until("a provisional packet", |_| {
        pdf_says(&out, "2027年2月11日（暂定）")
    });
    watch.until_idle(0);
    std::fs::write(
        calendar.join("2027.toml"),
        "year = 2027\n\n[[notice]]\nnumber = \"国办发明电〔2026〕9号\"\n\
         title = \"国务院办公厅关于2027年部分节假日安排的通知\"\ndate = 2026-11-20\n",
    )
    .unwrap();
    // No holidays in this notice: 5 working days after Friday 29 January is 5 February.
    watch.until("the packet on the notice", |_| {
        pdf_says(&out, "2027年2月5日5Feb2027")
    });
    assert!(!pdf_says(&out, "暂定"));
}

/// The text of the renewal packet under `out`, once there is exactly one.
fn renewal_text(out: &Path) -> Option<String> {
    let pdfs: Vec<PathBuf> = pdfs_in(out)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with("-renewal.pdf"))
        .collect();
    match &pdfs[..] {
        [pdf] if std::fs::read(pdf).is_ok_and(|b| !b.is_empty()) => Some(pdf_text_compact(pdf)),
        _ => None,
    }
}

#[test]
fn a_scan_dropped_into_the_materials_folder_updates_the_checklist() {
    let dir = tempfile::tempdir().unwrap();
    let company = dir.path().join("company.toml");
    std::fs::copy(repo().join("samples/callcenter-renewal.toml"), &company).unwrap();
    let materials = dir.path().join("materials");
    std::fs::create_dir(&materials).unwrap();
    let out = dir.path().join("out");
    let extra = [
        "--materials".as_ref(),
        materials.as_os_str(),
        "--procedure".as_ref(),
        "renewal".as_ref(),
    ];

    let mut watch = Watch::start_with(&company, &out, &extra);
    watch.until("a packet from the empty folder", |_| {
        renewal_text(&out).is_some_and(|t| t.contains("按材料文件夹：已备齐0/"))
    });
    watch.until_idle(0);
    // The clerk saves the client's business licence into the folder, by its short name.
    let staged = dir.path().join("营业执照.jpg");
    if !scan_jpeg(&staged) {
        return;
    }
    std::fs::rename(&staged, materials.join("营业执照.jpg")).unwrap();
    watch.until("the checklist with the licence ready", |_| {
        renewal_text(&out).is_some_and(|t| t.contains("按材料文件夹：已备齐1/"))
    });
    let text = renewal_text(&out).unwrap();
    assert!(text.contains("营业执照.jpg"), "{text}");

    // Taking it out again: missing once more.
    std::fs::remove_file(materials.join("营业执照.jpg")).unwrap();
    watch.until("the checklist with the licence missing again", |_| {
        renewal_text(&out).is_some_and(|t| t.contains("按材料文件夹：已备齐0/"))
    });
}
