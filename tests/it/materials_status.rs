//! End-to-end: the checklist's status column from a client's materials folder
//! (`generate --materials`), the warning for a typed status the folder contradicts, and
//! `batch` over clients with materials folders: their checklists, readiness in
//! `summary.json`/`summary.csv`, `--dossier`, and one broken client never stopping the
//! others. Fixture scans are made here with ImageMagick.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::*;
use serde_json::Value;

const SAMPLE: &str = "samples/callcenter-renewal.toml";

/// A JPEG cut off after its first bytes: what a failed copy from a phone leaves.
fn corrupt_jpeg(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    bytes.extend_from_slice(b"JFIF\0 truncated by the copy");
    std::fs::write(path, bytes).unwrap();
}

/// The renewal sample's materials folder: the business licence (one page, by its alias),
/// the current licence (a folder of two pages), a truncated screenshot, and the financial
/// statements marked not applicable in the manifest. `None` without ImageMagick.
fn materials(dir: &Path) -> Option<()> {
    if !scan_jpeg(&dir.join("03 营业执照.jpg"))
        || !scan_jpeg(&dir.join("原经营许可证正副本/1.jpg"))
        || !scan_jpeg(&dir.join("原经营许可证正副本/2.jpg"))
    {
        return None;
    }
    corrupt_jpeg(&dir.join("信用公示截图.jpg"));
    std::fs::write(
        dir.join("materials.toml"),
        "[not_applicable]\nfinancial-statements = \"本省不要求\"\n",
    )
    .unwrap();
    Some(())
}

fn generate_with(company: &Path, folder: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "--materials",
        folder.to_str().unwrap(),
        "--procedure",
        "renewal",
    ];
    args.extend_from_slice(extra);
    generate(company, out, &args)
}

/// The one packet PDF under `out` whose name ends in `-renewal.pdf`.
fn renewal_pdf(out: &Path) -> std::path::PathBuf {
    let found: Vec<_> = pdfs_in(out)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with("-renewal.pdf"))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].clone()
}

/// The checklist's table row of material `number` (compact text from its number up to the
/// next row's), from the packet's text.
fn row_text(text: &str, from: &str, to: &str) -> String {
    let start = text
        .find(from)
        .unwrap_or_else(|| panic!("{from} in {text}"));
    let rest = &text[start..];
    let end = rest[from.len()..]
        .find(to)
        .map_or(rest.len(), |e| e + from.len());
    rest[..end].to_string()
}

#[test]
fn the_checklist_shows_ready_files_and_pages_missing_problem_and_not_applicable() {
    let folder = tempfile::tempdir().unwrap();
    if materials(folder.path()).is_none() {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let sample = repo().join(SAMPLE);
    let o = generate_with(&sample, folder.path(), out.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The sample types business-license-copy as ready, and the folder has it: no warning.
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    let text = pdf_text_compact(&renewal_pdf(out.path()));
    // 11 materials: 2 ready, 1 problem, 1 not applicable, 7 missing.
    assert!(
        text.contains("按材料文件夹：已备齐2/10项；缺7项；有问题1项；不适用1项。"),
        "{text}"
    );
    assert!(
        text.contains("Fromthematerialsfolder:ready2of10;missing7;withproblems1;notapplicable1."),
        "{text}"
    );
    let licence = row_text(&text, "营业执照副本复印件", "国家企业信用信息公示系统截图");
    assert!(licence.contains("已备齐"), "{licence}");
    assert!(licence.contains("03营业执照.jpg"), "{licence}");
    assert!(
        licence.contains("共1页") && licence.contains("1page"),
        "{licence}"
    );
    let screenshot = row_text(&text, "国家企业信用信息公示系统截图", "原经营许可证正副本");
    assert!(
        screenshot.contains("有问题") && screenshot.contains("Problem"),
        "{screenshot}"
    );
    assert!(screenshot.contains("信用公示截图.jpg"), "{screenshot}");
    // An unreadable file has no pages to count.
    assert!(!screenshot.contains("共0页"), "{screenshot}");
    let original = row_text(&text, "原经营许可证正副本", "股东会");
    assert!(
        original.contains("原经营许可证正副本/1.jpg,原经营许可证正副本/2.jpg"),
        "{original}"
    );
    assert!(
        original.contains("共2页") && original.contains("2pages"),
        "{original}"
    );
    let statements = row_text(&text, "年度财务会计报告", "增值电信企业报送统计资料承诺书");
    assert!(
        statements.contains("不适用") && statements.contains("本省不要求"),
        "{statements}"
    );
    let form = row_text(&text, "经营许可证有效期届满继续经营申请表", "依法经营");
    assert!(form.contains("缺") && form.contains("Missing"), "{form}");
    assert!(
        !text.contains("未登记"),
        "no status is 'not recorded': {text}"
    );
}

#[test]
fn the_problem_states_its_reason_in_the_checklist_and_the_json_readiness() {
    let folder = tempfile::tempdir().unwrap();
    if materials(folder.path()).is_none() {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let sample = repo().join(SAMPLE);
    let o = generate_with(&sample, folder.path(), out.path(), &["--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let written: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let readiness = &written[0]["readiness"];
    assert_eq!(readiness["ready"], 2, "{written:#}");
    assert_eq!(readiness["total"], 10, "{written:#}");
    let problems = readiness["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0]["id"], "credit-publicity-screenshot");
    let reason = problems[0]["reason"].as_str().unwrap();
    assert!(!reason.is_empty());
    assert_eq!(readiness["missing"].as_array().unwrap().len(), 7);
    assert!(written[0].get("contradictions").is_none(), "{written:#}");
    // The reason printed in the checklist is the one in the JSON.
    let text = pdf_text_compact(&renewal_pdf(out.path()));
    assert!(text.contains(&compact(reason)), "{reason} not in {text}");
}

#[test]
fn a_typed_status_the_folder_contradicts_is_warned_about_with_both_states() {
    let folder = tempfile::tempdir().unwrap();
    if materials(folder.path()).is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let company = dir.path().join("yunsheng.toml");
    let text = std::fs::read_to_string(repo().join(SAMPLE))
        .unwrap()
        .replace(
            "business-license-copy = \"ready\"",
            "business-license-copy = \"ready\"\ncredit-publicity-screenshot = \"ready\"\n\
             original-licence = \"missing\"\nrenewal-application-form = \"ready\"\n\
             commitment-lawful = \"missing\"",
        );
    std::fs::write(&company, text).unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = generate_with(&company, folder.path(), out.path(), &["--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("warning")).collect();
    assert_eq!(warnings.len(), 3, "{err}");
    for (id, typed, found) in [
        ("credit-publicity-screenshot", "ready", "problem"),
        ("original-licence", "missing", "ready"),
        ("renewal-application-form", "ready", "missing"),
    ] {
        let line = warnings
            .iter()
            .find(|l| l.contains(&format!("\"{id}\"")))
            .unwrap_or_else(|| panic!("no warning for {id}: {err}"));
        assert!(
            line.starts_with(&format!("{}: warning:", company.display())),
            "{line}"
        );
        assert!(
            line.contains(&format!("typed \"{typed}\""))
                && line.contains(&format!("says \"{found}\"")),
            "{line}"
        );
    }
    let written: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let listed: Vec<(&str, &str, &str)> = written[0]["contradictions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap(),
                c["typed"].as_str().unwrap(),
                c["found"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            ("renewal-application-form", "ready", "missing"),
            ("credit-publicity-screenshot", "ready", "problem"),
            ("original-licence", "missing", "ready"),
        ]
    );
    // The checklist shows the folder's status, not the typed one.
    let text = pdf_text_compact(&renewal_pdf(out.path()));
    let form = row_text(&text, "经营许可证有效期届满继续经营申请表", "依法经营");
    assert!(form.contains("缺") && !form.contains("已备齐"), "{form}");
}

#[test]
fn without_materials_the_packet_is_unchanged_and_a_bad_manifest_is_an_error() {
    let sample = repo().join(SAMPLE);
    let (plain, empty_run) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    assert_eq!(generate(&sample, plain.path(), &[]).status.code(), Some(0));
    let text = pdf_text_compact(&renewal_pdf(plain.path()));
    assert!(
        text.contains("未登记") && !text.contains("按材料文件夹"),
        "{text}"
    );
    // An empty folder: every material missing, none 'not recorded'.
    let folder = tempfile::tempdir().unwrap();
    let o = generate_with(&sample, folder.path(), empty_run.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The sample types the business licence ready: the empty folder contradicts it.
    assert!(
        stderr(&o).contains("\"business-license-copy\"") && stderr(&o).contains("\"missing\""),
        "{}",
        stderr(&o)
    );
    let text = pdf_text_compact(&renewal_pdf(empty_run.path()));
    assert!(text.contains("已备齐0/11项；缺11项"), "{text}");
    // A manifest that cannot be read stops the command with its file and line.
    std::fs::write(folder.path().join("materials.toml"), "[files\n").unwrap();
    let bad = tempfile::tempdir().unwrap();
    let o = generate_with(&sample, folder.path(), bad.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("materials.toml"), "{}", stderr(&o));
    assert!(pdfs_in(bad.path()).is_empty());
}

/// Client `i` of a batch, written at `path`.
fn client(path: &Path, i: usize) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, synthetic_client(i)).unwrap();
}

fn summary_rows(out: &Path) -> Vec<Value> {
    let json: Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    json.as_array().unwrap().clone()
}

fn row<'a>(rows: &'a [Value], input: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["input"] == input)
        .unwrap_or_else(|| panic!("no row for {input}: {rows:#?}"))
}

#[test]
fn batch_reads_each_clients_folder_and_one_broken_client_stops_no_other() {
    let book = tempfile::tempdir().unwrap();
    let b = book.path();
    // acme: <client>/company.toml with <client>/materials/, complete but for what is missing.
    client(&b.join("acme/company.toml"), 1);
    if materials(&b.join("acme/materials")).is_none() {
        return;
    }
    // beta: <stem>.toml with <stem>.materials/ holding only a truncated JPEG.
    client(&b.join("beta.toml"), 2);
    corrupt_jpeg(&b.join("beta.materials/03 营业执照.jpg"));
    // gamma: no folder at all.
    client(&b.join("gamma.toml"), 3);
    // delta: a manifest that cannot be read.
    client(&b.join("delta/company.toml"), 4);
    std::fs::create_dir_all(b.join("delta/materials")).unwrap();
    std::fs::write(b.join("delta/materials/materials.toml"), "[files\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = run_dated("batch", b, out.path(), &["--jobs", "2"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let last = stdout(&o).lines().last().unwrap_or_default().to_string();
    // Four clients (no manifest taken for one), three written, delta failed.
    assert!(
        last.starts_with("4 clients: 3 packets written") && last.contains("1 clients failed"),
        "{last}"
    );
    assert!(
        last.contains("materials: 0 of 2 packets complete"),
        "{last}"
    );
    let rows = summary_rows(out.path());
    assert_eq!(rows.len(), 4, "{rows:#?}");
    let acme = row(&rows, "acme/company.toml");
    assert_eq!(acme["status"], "written");
    assert_eq!(acme["readiness"]["ready"], 2, "{acme:#}");
    assert_eq!(acme["readiness"]["total"], 10);
    assert_eq!(
        acme["readiness"]["problems"][0]["id"],
        "credit-publicity-screenshot"
    );
    assert!(acme["materials"]
        .as_str()
        .unwrap()
        .ends_with("acme/materials"));
    let beta = row(&rows, "beta.toml");
    assert_eq!(beta["status"], "written", "{beta:#}");
    assert_eq!(beta["readiness"]["ready"], 0);
    assert_eq!(beta["readiness"]["total"], 11);
    assert_eq!(
        beta["readiness"]["problems"][0]["id"],
        "business-license-copy"
    );
    assert!(!beta["readiness"]["problems"][0]["reason"]
        .as_str()
        .unwrap()
        .is_empty());
    let gamma = row(&rows, "gamma.toml");
    assert_eq!(gamma["status"], "written");
    assert!(gamma.get("readiness").is_none(), "{gamma:#}");
    let delta = row(&rows, "delta/company.toml");
    assert_eq!(delta["status"], "failed");
    assert!(
        delta["error"].as_str().unwrap().contains("materials.toml"),
        "{delta:#}"
    );
    // The CSV has the same, in its own columns.
    let mut csv = csv::Reader::from_path(out.path().join("summary.csv")).unwrap();
    let header = csv.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    let acme_csv = records
        .iter()
        .find(|r| &r[0] == "acme/company.toml")
        .unwrap();
    assert_eq!(
        (&acme_csv[col("ready")], &acme_csv[col("total")]),
        ("2", "10")
    );
    assert!(acme_csv[col("missing")]
        .contains("renewal-application-form (经营许可证有效期届满继续经营申请表)"));
    assert!(acme_csv[col("problems")]
        .starts_with("credit-publicity-screenshot (国家企业信用信息公示系统截图): "));
    let gamma_csv = records.iter().find(|r| &r[0] == "gamma.toml").unwrap();
    assert_eq!(&gamma_csv[col("ready")], "");
    // And the workbook, in its readiness columns.
    let mut xlsx = calamine::open_workbook_auto(out.path().join("summary.xlsx")).unwrap();
    let range = calamine::Reader::worksheet_range(&mut xlsx, "summary").unwrap();
    let cells: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(
        cells[0][12..16],
        [
            "已备齐 Ready",
            "应备 Total",
            "有问题材料 Problems",
            "材料包 Dossier"
        ]
    );
    let acme_xlsx = cells.iter().find(|r| r[0] == "acme/company.toml").unwrap();
    assert_eq!(
        (acme_xlsx[12].as_str(), acme_xlsx[13].as_str()),
        ("2", "10")
    );
    assert!(
        acme_xlsx[9].contains("renewal-application-form"),
        "{acme_xlsx:?}"
    );
    assert!(
        acme_xlsx[14].starts_with("credit-publicity-screenshot"),
        "{acme_xlsx:?}"
    );
    // Each checklist shows its own folder.
    let beta_pdf = out
        .path()
        .join(format!("北京云声2号科技有限公司-{}", synthetic_uscc(2)))
        .join("B2-20220002-renewal.pdf");
    let text = pdf_text_compact(&beta_pdf);
    let licence = row_text(&text, "营业执照副本复印件", "国家企业信用信息公示系统截图");
    assert!(
        licence.contains("有问题") && licence.contains("03营业执照.jpg"),
        "{licence}"
    );
    let gamma_pdf = out
        .path()
        .join(format!("北京云声3号科技有限公司-{}", synthetic_uscc(3)))
        .join("B2-20220003-renewal.pdf");
    assert!(pdf_text_compact(&gamma_pdf).contains("未登记"));
    // No dossier without --dossier.
    assert!(!files_under(out.path())
        .iter()
        .any(|p| p.ends_with("dossier.json")));
}

#[test]
fn batch_dossier_builds_each_clients_dossier_beside_its_packet() {
    let book = tempfile::tempdir().unwrap();
    let b = book.path();
    client(&b.join("acme/company.toml"), 1);
    if materials(&b.join("acme/materials")).is_none() {
        return;
    }
    client(&b.join("beta.toml"), 2);
    corrupt_jpeg(&b.join("beta.materials/03 营业执照.jpg"));
    client(&b.join("gamma.toml"), 3);
    let out = tempfile::tempdir().unwrap();
    let o = run_dated("batch", b, out.path(), &["--dossier"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let acme_dir = out
        .path()
        .join(format!("北京云声1号科技有限公司-{}", synthetic_uscc(1)));
    let report: Value = serde_json::from_slice(
        &std::fs::read(acme_dir.join("B2-20220001-renewal/dossier.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        (report["ready"].as_u64(), report["total"].as_u64()),
        (Some(2), Some(10))
    );
    let upload = acme_dir.join("B2-20220001-renewal/upload");
    let mut names: Vec<String> = std::fs::read_dir(&upload)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "03-营业执照副本复印件.jpg",
            "05-原经营许可证正副本-1.jpg",
            "05-原经营许可证正副本-2.jpg"
        ]
    );
    let bound = pdf_pages_text(&acme_dir.join("B2-20220001-renewal/dossier.pdf"));
    let total = bound.len();
    assert!(compact(&bound[total - 1]).contains(&format!("第{total}页共{total}页")));
    // The summary points at it; the packet beside it has the same statuses.
    let rows = summary_rows(out.path());
    let acme = row(&rows, "acme/company.toml");
    assert!(
        acme["dossier"]
            .as_str()
            .unwrap()
            .ends_with("B2-20220001-renewal"),
        "{acme:#}"
    );
    assert_eq!(acme["readiness"]["ready"], 2);
    let text = pdf_text_compact(&acme_dir.join("B2-20220001-renewal.pdf"));
    assert!(text.contains("按材料文件夹：已备齐2/10项"), "{text}");
    // beta's broken file is its problem, in its own dossier.json; gamma has none.
    let beta: Value = serde_json::from_slice(
        &std::fs::read(
            out.path()
                .join(format!("北京云声2号科技有限公司-{}", synthetic_uscc(2)))
                .join("B2-20220002-renewal/dossier.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let licence = beta["materials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "business-license-copy")
        .unwrap();
    assert_eq!(licence["status"], "problem");
    assert_eq!(
        files_under(out.path())
            .iter()
            .filter(|p| p.ends_with("dossier.json"))
            .count(),
        2
    );
    // A rerun writes nothing new.
    let again = run_dated("batch", b, out.path(), &["--dossier"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert!(stdout(&again).contains("0 packets written, 0 replaced, 3 unchanged"));
}

/// A client book (`DIR/clients.csv`) of three clients naming their folders in the 材料文件夹
/// column: client 5's holds a good scan of the business licence, client 6's a truncated one,
/// client 7 names none. `None` without ImageMagick.
fn book_with_folders(dir: &Path) -> Option<PathBuf> {
    if !scan_jpeg(&dir.join("folders/five/03 营业执照.jpg")) {
        return None;
    }
    corrupt_jpeg(&dir.join("folders/six/03 营业执照.jpg"));
    let header = "company.name,company.uscc,company.legal_rep,company.address,company.province,\
                  company.registered_capital,license.number,license.scope,license.services,\
                  license.issued,license.expires,procedure.type,材料文件夹";
    let line = |i: usize, folder: &str| {
        format!(
            "北京云声{i}号科技有限公司,{},张伟,北京市海淀区中关村大街1号,beijing,10000000,\
             B2-2022{i:04},nationwide,call-center,2022-04-30,2027-04-30,renewal,{folder}",
            synthetic_uscc(i)
        )
    };
    let book = dir.join("clients.csv");
    let rows = [line(5, "folders/five"), line(6, "folders/six"), line(7, "")];
    std::fs::write(&book, format!("{header}\n{}\n", rows.join("\n"))).unwrap();
    Some(book)
}

/// The summary of a batch over [`book_with_folders`]'s clients: readiness from each folder.
fn assert_readiness_from_folders(out: &Path) {
    let rows = summary_rows(out);
    let by_uscc = |i: usize| {
        rows.iter()
            .find(|r| r["uscc"] == synthetic_uscc(i))
            .unwrap_or_else(|| panic!("{rows:#?}"))
    };
    assert_eq!(by_uscc(5)["readiness"]["ready"], 1, "{rows:#?}");
    assert_eq!(by_uscc(5)["readiness"]["total"], 11);
    assert_eq!(by_uscc(6)["readiness"]["ready"], 0);
    assert_eq!(
        by_uscc(6)["readiness"]["problems"][0]["id"],
        "business-license-copy"
    );
    assert!(by_uscc(7).get("readiness").is_none(), "{rows:#?}");
}

#[test]
fn a_client_books_folder_column_names_each_clients_materials() {
    let dir = tempfile::tempdir().unwrap();
    let Some(book) = book_with_folders(dir.path()) else {
        return;
    };
    let out = dir.path().join("out");
    let o = run_dated("batch", &book, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_readiness_from_folders(&out);
}

/// `import` carries a book's 材料文件夹 column into each company file as `[client]
/// materials_folder` (relative to the file); `batch` on the imported files and `dossier`
/// without --materials then read the same folders. A client without a folder gets none, and
/// `dossier` says how to give it one.
#[test]
fn imported_company_files_keep_their_materials_folders() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let Some(book) = book_with_folders(&d.join("book")) else {
        return;
    };
    let clients = d.join("clients");
    let o = licpack(&[
        "import",
        book.to_str().unwrap(),
        "--out",
        clients.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let file = |i: usize| {
        clients.join(format!(
            "北京云声{i}号科技有限公司-{}.toml",
            synthetic_uscc(i)
        ))
    };
    let five = std::fs::read_to_string(file(5)).unwrap();
    assert!(
        five.contains("[client]") && five.contains("materials_folder = \"../book/folders/five\""),
        "{five}"
    );
    assert!(!std::fs::read_to_string(file(7))
        .unwrap()
        .contains("[client]"));

    let out = d.join("out");
    let o = run_dated("batch", &clients, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_readiness_from_folders(&out);

    // dossier without --materials reads the folder the file names.
    let o = run_dated("dossier", &file(5), &d.join("dossier"), &["--json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    let text = report.to_string();
    assert!(text.contains("03 营业执照.jpg"), "{text}");
    // … and says what to do when there is none.
    let o = run_dated("dossier", &file(7), &d.join("dossier7"), &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--materials DIR") && stderr(&o).contains("materials_folder"),
        "{}",
        stderr(&o)
    );
    // A folder that is gone is named with the file that names it.
    std::fs::remove_dir_all(d.join("book/folders/five")).unwrap();
    let o = run_dated("dossier", &file(5), &d.join("dossier5"), &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("not a folder"), "{}", stderr(&o));
}
