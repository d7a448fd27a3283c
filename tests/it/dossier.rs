//! End-to-end: `licpack dossier` on client folders made here — which file goes to which
//! material (by name, alias, id, folder, manifest), what is reported as missing, not
//! applicable, unmatched or ambiguous (in `dossier.json` and on screen), the exit codes, an
//! unchanged rerun, `--force`, and a client folder left exactly as it was.
//!
//! Tests that need files actually read (ready materials, upload files, `dossier.pdf`) are
//! written against the contract and ignored until the inspection and assembly steps land.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::*;
use serde_json::Value;

const SAMPLE: &str = "samples/callcenter-renewal.toml";

/// A client folder with `files` (a name ending in `/` is an empty folder).
fn client_folder(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in files {
        let path = dir.path().join(name);
        if name.ends_with('/') {
            std::fs::create_dir_all(&path).unwrap();
        } else {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, format!("content of {name}")).unwrap();
        }
    }
    dir
}

fn dossier(materials: &Path, out: &Path, extra: &[&str]) -> Output {
    let sample = repo().join(SAMPLE);
    let mut args = vec![
        "dossier",
        sample.to_str().unwrap(),
        "--materials",
        materials.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--procedure",
        "renewal",
        "--date",
        TODAY,
    ];
    args.extend_from_slice(extra);
    licpack(&args)
}

/// The one `dossier.json` under `out`, and its path.
fn report(out: &Path) -> (PathBuf, Value) {
    let found: Vec<PathBuf> = files_under(out)
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "dossier.json"))
        .collect();
    assert_eq!(found.len(), 1, "one dossier.json expected: {found:?}");
    let text = std::fs::read_to_string(&found[0]).unwrap();
    (found[0].clone(), serde_json::from_str(&text).unwrap())
}

/// The material of the report with catalog id `id`.
fn material<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["materials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .unwrap_or_else(|| panic!("no material {id} in {report:#}"))
}

fn file_paths(material: &Value) -> Vec<&str> {
    material["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect()
}

/// Every file under `dir` with its bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    files_under(dir)
        .into_iter()
        .map(|p| {
            let modified = std::fs::metadata(&p).unwrap().modified().unwrap();
            (p.clone(), (std::fs::read(&p).unwrap(), modified))
        })
        .collect()
}

#[test]
fn files_go_to_materials_by_name_alias_id_and_folder_and_the_rest_is_reported() {
    let folder = client_folder(&[
        "03 营业执照.jpg",
        "原经营许可证正副本/page10.jpg",
        "原经营许可证正副本/page2.jpg",
        "credit-publicity-screenshot.png",
        "发票.jpg",
        ".DS_Store",
        "Thumbs.db",
        "desktop.ini",
    ]);
    let out = tempfile::tempdir().unwrap();
    let o = dossier(folder.path(), out.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let (_, report) = report(out.path());
    assert_eq!(
        file_paths(material(&report, "business-license-copy")),
        ["03 营业执照.jpg"]
    );
    assert_eq!(
        file_paths(material(&report, "original-licence")),
        [
            "原经营许可证正副本/page2.jpg",
            "原经营许可证正副本/page10.jpg"
        ]
    );
    assert_eq!(
        file_paths(material(&report, "credit-publicity-screenshot")),
        ["credit-publicity-screenshot.png"]
    );
    assert_eq!(material(&report, "commitment-lawful")["status"], "missing");
    assert_eq!(
        material(&report, "commitment-lawful")["name"]["zh"],
        "依法经营电信业务承诺书"
    );
    let unmatched = report["unmatched"].as_array().unwrap();
    assert_eq!(unmatched.len(), 1, "junk files are ignored: {unmatched:#?}");
    assert_eq!(unmatched[0]["path"], "发票.jpg");
    assert!(unmatched[0]["reason"]
        .as_str()
        .unwrap()
        .contains("does not start with"));
    // The screen says the same, with paths that can be opened.
    let screen = stdout(&o);
    let licence_file = folder.path().join("03 营业执照.jpg");
    assert!(
        screen.contains(&licence_file.display().to_string()),
        "{screen}"
    );
    assert!(
        screen.contains("missing") && screen.contains("依法经营电信业务承诺书"),
        "{screen}"
    );
    let invoice = folder.path().join("发票.jpg");
    assert!(
        screen.contains(&format!("unmatched {}", invoice.display())),
        "{screen}"
    );
    assert!(
        !screen.contains("Thumbs.db") && !screen.contains(".DS_Store"),
        "{screen}"
    );
}

#[test]
fn the_counts_and_statuses_in_json_agree_with_the_materials() {
    let folder = client_folder(&["营业执照副本复印件.pdf"]);
    let out = tempfile::tempdir().unwrap();
    let o = dossier(folder.path(), out.path(), &["--json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let on_screen: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let (_, written) = report(out.path());
    assert_eq!(
        on_screen[0], written,
        "--json prints what dossier.json holds"
    );
    let materials = written["materials"].as_array().unwrap();
    let ready = materials.iter().filter(|m| m["status"] == "ready").count();
    assert_eq!(written["ready"], ready);
    assert_eq!(written["total"], materials.len());
    let missing = materials
        .iter()
        .filter(|m| m["status"] == "missing")
        .count();
    assert_eq!(
        missing,
        materials.len() - 1,
        "only the business licence was handed over"
    );
    let numbers: Vec<u64> = materials
        .iter()
        .map(|m| m["number"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, (1..=materials.len() as u64).collect::<Vec<_>>());
}

#[test]
fn the_manifest_assigns_files_and_marks_materials_not_applicable() {
    let folder = client_folder(&["scan0001.pdf", "年度财务会计报告.pdf"]);
    std::fs::write(
        folder.path().join("materials.toml"),
        "[files]\n\"scan0001.pdf\" = \"original-licence\"\n\n[not_applicable]\n\
         financial-statements = \"本省不要求 / not asked in this province\"\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = dossier(folder.path(), out.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let (_, report) = report(out.path());
    assert_eq!(
        file_paths(material(&report, "original-licence")),
        ["scan0001.pdf"]
    );
    let statements = material(&report, "financial-statements");
    assert_eq!(statements["status"], "not-applicable");
    assert_eq!(
        statements["note"],
        "本省不要求 / not asked in this province"
    );
    let total = report["materials"].as_array().unwrap().len() as u64 - 1;
    assert_eq!(
        report["total"], total,
        "a material that does not apply is not counted"
    );
    let unmatched = &report["unmatched"][0];
    assert_eq!(unmatched["path"], "年度财务会计报告.pdf");
    assert!(unmatched["reason"]
        .as_str()
        .unwrap()
        .contains("not applicable"));
    assert!(stdout(&o).contains("not-applicable"), "{}", stdout(&o));
}

#[test]
fn a_manifest_error_is_a_usage_error_located_at_its_line() {
    let folder = client_folder(&["a.pdf"]);
    std::fs::write(
        folder.path().join("materials.toml"),
        "[files]\n\"a.pdf\" = \"original-licence\"\n\"gone.pdf\" = \"original-licence\"\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = dossier(folder.path(), out.path(), &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("materials.toml:3"), "{err}");
    assert!(
        err.contains("\"gone.pdf\" is not in the materials folder"),
        "{err}"
    );
    assert!(
        files_under(out.path()).is_empty(),
        "nothing is written on a usage error"
    );
}

#[test]
fn a_name_fitting_two_materials_is_ambiguous_in_a_customised_catalog() {
    // A user's catalog gives the renewal resolution the alias 营业, so 营业执照.jpg fits it
    // and the business licence (alias 营业执照) both.
    let templates = tempfile::tempdir().unwrap();
    let renewal = std::fs::read_to_string(repo().join("templates/catalog/procedures/renewal.toml"))
        .unwrap()
        .replacen(
            "aliases = [\"续期决议\"]",
            "aliases = [\"续期决议\", \"营业\"]",
            1,
        );
    let procedures = templates.path().join("catalog/procedures");
    std::fs::create_dir_all(&procedures).unwrap();
    std::fs::write(procedures.join("renewal.toml"), renewal).unwrap();
    let folder = client_folder(&["营业执照.jpg"]);
    let out = tempfile::tempdir().unwrap();
    let o = dossier(
        folder.path(),
        out.path(),
        &["--templates", templates.path().to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let (_, report) = report(out.path());
    assert_eq!(
        material(&report, "business-license-copy")["status"],
        "missing"
    );
    let reason = report["unmatched"][0]["reason"].as_str().unwrap();
    assert!(reason.starts_with("ambiguous"), "{reason}");
    assert!(
        reason.contains("营业执照副本复印件") && reason.contains("股东会（董事会）同意续期的决议"),
        "{reason}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let folder = client_folder(&["营业执照.jpg"]);
    let out = tempfile::tempdir().unwrap();
    let not_a_folder = folder.path().join("营业执照.jpg");
    let o = dossier(&not_a_folder, out.path(), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is not a folder"), "{}", stderr(&o));
    let inside = folder.path().join("out");
    let o = dossier(folder.path(), &inside, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("inside the materials folder"),
        "{}",
        stderr(&o)
    );
    assert!(!inside.exists());
    let o = licpack(&["dossier", "x.toml"]);
    assert_eq!(o.status.code(), Some(2), "--materials is required");
}

#[test]
fn the_client_folder_is_untouched_and_a_rerun_rewrites_nothing() {
    let folder = client_folder(&["03 营业执照.jpg", "原经营许可证正副本/1.jpg", "发票.jpg"]);
    let before = snapshot(folder.path());
    let out = tempfile::tempdir().unwrap();
    let first = dossier(folder.path(), out.path(), &[]);
    assert_eq!(first.status.code(), Some(1), "{}", stderr(&first));
    assert_eq!(
        snapshot(folder.path()),
        before,
        "the client's folder is never modified"
    );
    let written = snapshot(out.path());
    assert!(!written.is_empty());
    std::thread::sleep(std::time::Duration::from_millis(20));
    let second = dossier(folder.path(), out.path(), &[]);
    assert_eq!(second.status.code(), Some(1), "{}", stderr(&second));
    assert_eq!(
        snapshot(out.path()),
        written,
        "same bytes, not even rewritten"
    );
    assert_eq!(stdout(&first), stdout(&second));
    assert_eq!(snapshot(folder.path()), before);
}

#[test]
fn changed_inputs_need_force_to_replace_the_report() {
    let folder = client_folder(&["03 营业执照.jpg"]);
    let out = tempfile::tempdir().unwrap();
    assert_eq!(
        dossier(folder.path(), out.path(), &[]).status.code(),
        Some(1)
    );
    let (path, first) = report(out.path());
    std::fs::write(folder.path().join("原经营许可证正副本.pdf"), "scan").unwrap();
    let refused = dossier(folder.path(), out.path(), &[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("--force"), "{}", stderr(&refused));
    assert_eq!(report(out.path()).1, first, "left as it was");
    let forced = dossier(folder.path(), out.path(), &["--force"]);
    assert_eq!(forced.status.code(), Some(1), "{}", stderr(&forced));
    let (again, replaced) = report(out.path());
    assert_eq!(again, path);
    assert_eq!(
        file_paths(material(&replaced, "original-licence")),
        ["原经营许可证正副本.pdf"]
    );
}

#[test]
fn until_files_can_be_read_they_are_problems_and_the_report_is_still_written() {
    // Holds for any build: a file that is not an image or PDF is a problem of its material.
    let folder = client_folder(&["03 营业执照.jpg"]);
    let out = tempfile::tempdir().unwrap();
    let o = dossier(folder.path(), out.path(), &[]);
    assert_eq!(o.status.code(), Some(1));
    let (_, report) = report(out.path());
    let licence = material(&report, "business-license-copy");
    assert_eq!(licence["status"], "problem");
    let file = &licence["files"][0];
    assert_eq!(file["bytes"], "content of 03 营业执照.jpg".len());
    assert!(!file["problems"].as_array().unwrap().is_empty());
    assert!(licence["upload"].as_array().unwrap().is_empty());
}

#[test]
fn a_complete_folder_is_ready_uploaded_and_bound_with_exit_0() {
    let folder = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    // Every material of the packet as a one-page colour scan named as on the checklist.
    let first = dossier(folder.path(), out.path(), &["--json"]);
    let listed: Value = serde_json::from_str(&stdout(&first)).unwrap();
    for m in listed[0]["materials"].as_array().unwrap() {
        let name = format!(
            "{:02} {}.jpg",
            m["number"].as_u64().unwrap(),
            m["name"]["zh"].as_str().unwrap()
        );
        if !scan_jpeg(&folder.path().join(name)) {
            return;
        }
    }
    let o = dossier(folder.path(), out.path(), &["--force"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let (json, report) = report(out.path());
    assert_eq!(report["ready"], report["total"]);
    let packet = json.parent().unwrap();
    for m in report["materials"].as_array().unwrap() {
        let upload = m["upload"].as_array().unwrap();
        assert_eq!(upload.len(), 1, "{m:#}");
        let name = format!(
            "upload/{:02}-{}.jpg",
            m["number"].as_u64().unwrap(),
            m["name"]["zh"].as_str().unwrap()
        );
        assert_eq!(upload[0], name);
        let bytes = std::fs::metadata(packet.join(&name)).unwrap().len();
        assert!(bytes <= 5_242_880);
    }
    let pdf = packet.join("dossier.pdf");
    let text = pdf_text_compact(&pdf);
    assert!(text.contains("目录"), "{text}");
    let pages = pdf_pages_text(&pdf);
    let total = pages.len();
    assert!(compact(&pages[total - 1]).contains(&format!("第{total}页共{total}页")));
}

#[test]
fn an_upload_file_of_an_earlier_run_that_no_longer_belongs_is_removed_others_are_kept() {
    let folder = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    if !scan_jpeg(&folder.path().join("03 营业执照.jpg")) {
        return;
    }
    assert_eq!(
        dossier(folder.path(), out.path(), &[]).status.code(),
        Some(1)
    );
    let (json, _) = report(out.path());
    let upload = json.parent().unwrap().join("upload");
    let ours: Vec<PathBuf> = files_under(&upload);
    assert_eq!(ours.len(), 1, "{ours:?}");
    let clerks = upload.join("clerk-notes.txt");
    std::fs::write(&clerks, "mine").unwrap();
    std::fs::remove_file(folder.path().join("03 营业执照.jpg")).unwrap();
    assert_eq!(
        dossier(folder.path(), out.path(), &["--force"])
            .status
            .code(),
        Some(1)
    );
    assert!(
        !ours[0].exists(),
        "licpack's own stale upload file is removed"
    );
    assert_eq!(std::fs::read_to_string(&clerks).unwrap(), "mine");
}
