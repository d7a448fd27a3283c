//! End-to-end over the whole catalog: one synthetic company for every applicable
//! (service, procedure) cell, generated in one `licpack batch` run, each packet checked for
//! every material (zh and en), every letter title and every deadline date; non-applicable
//! cells refused with the catalog's reason; the shared multi-licence cases; the README section.

use crate::common;

use common::*;
use licpack::catalog::{matrix, Catalog, Procedure, Scope, Service};
use licpack::plan::{plan, Selection};

fn engine() -> licpack::packet::Engine {
    licpack::packet::Engine::new(None).expect("the built-in engine loads")
}

/// A company file with one licence of `service` and one `procedure`; client `i` gets its own
/// name, USCC and licence number.
fn company_for(i: usize, service: &Service, procedure: &Procedure, region: &str) -> String {
    let class = if service.class == 1 { "B1" } else { "B2" };
    let number = format!("{class}-2022{i:04}");
    let mut out = format!(
        r#"[company]
name = "上海矩阵{i}号科技有限公司"
name_en = "Shanghai Matrix {i} Technology Co., Ltd."
uscc = "{uscc}"
legal_rep = "张伟"
legal_rep_en = "Zhang Wei"
address = "上海市浦东新区世纪大道{i}号"
province = "{region}"
registered_capital = 20000000
annual_reports_filed = [2022, 2023, 2024, 2025]
contact = {{ name = "李娜", phone = "021-62345678" }}

[[license]]
number = "{number}"
scope = "nationwide"
services = ["{service}"]
issued = 2022-06-30
expires = 2027-06-30

[[procedure]]
type = "{procedure}"
license = "{number}"
"#,
        uscc = synthetic_uscc(5000 + i),
        service = service.id,
        procedure = procedure.id,
    );
    for field in &procedure.required_fields {
        let value = match field.as_str() {
            "previous_legal_rep" => "\"王芳\"".to_string(),
            "previous_registered_capital" => "10000000".to_string(),
            "failure_reasons" => {
                let ids: Vec<String> = procedure
                    .failure_reasons
                    .iter()
                    .map(|r| format!("\"{}\"", r.id))
                    .collect();
                format!("[{}]", ids.join(", "))
            }
            f if f.ends_with("_date") => "2026-11-10".to_string(),
            other => panic!("no sample value for required field {other}"),
        };
        out.push_str(&format!("{field} = {value}\n"));
    }
    if let Some(kind) = number_kind(&procedure.id) {
        out.push_str(&format!(
            "\n[[number]]\nkind = \"{kind}\"\nlicense = \"{number}\"\n"
        ));
    }
    out
}

/// The numbering resource a number procedure is about.
fn number_kind(procedure: &str) -> Option<&'static str> {
    match procedure {
        "number-95" => Some("95"),
        "number-96" => Some("96"),
        "sms-106" => Some("106"),
        _ => None,
    }
}

fn cells(catalog: &Catalog, applicable: bool) -> Vec<(&Service, &Procedure)> {
    catalog
        .services
        .iter()
        .flat_map(|s| catalog.procedures.iter().map(move |p| (s, p)))
        .filter(|(s, p)| p.verdict_for_service(&s.id).applicable == applicable)
        .collect()
}

#[test]
fn every_applicable_cell_generates_a_complete_packet() {
    let engine = engine();
    let catalog = &engine.catalog;
    let cells = cells(catalog, true);
    // Scope-limited procedures (95 numbers: nationwide only) are covered by nationwide licences.
    assert!(cells.len() > catalog.services.len() * 10, "{}", cells.len());
    let book = tempfile::tempdir().unwrap();
    for (i, (s, p)) in cells.iter().enumerate() {
        // A free-trade-zone province, so the 告知承诺 letter is exercised too.
        let text = company_for(i, s, p, "shanghai");
        std::fs::write(
            book.path().join(format!("{i:03}-{}-{}.toml", s.id, p.id)),
            text,
        )
        .unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let o = licpack(&[
        "batch",
        book.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        "--date",
        TODAY,
    ]);
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
    let today = chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    let mut letters_seen = std::collections::BTreeSet::new();
    for (i, (s, p)) in cells.iter().enumerate() {
        let file = book.path().join(format!("{i:03}-{}-{}.toml", s.id, p.id));
        let company = engine.load_company(&file).unwrap();
        let plans = plan(&company, catalog, today, &Selection::default()).unwrap();
        assert_eq!(plans.len(), 1);
        let plan = &plans[0];
        let path = licpack::output::packet_path(out.path(), &company, &plan.file_stem);
        let text = pdf_text_compact(&path);
        let must = |needle: &str, what: &str| {
            assert!(
                text.contains(&compact(needle)),
                "{} × {}: {what} {needle:?} missing from {}",
                s.id,
                p.id,
                path.display()
            )
        };
        for m in &plan.materials {
            must(&m.material.name.zh, "material (zh)");
            must(&m.material.name.en, "material (en)");
        }
        for l in &plan.letters {
            must(&l.title.zh, "letter title (zh)");
            must(&l.title.en, "letter title (en)");
            letters_seen.insert(l.id.clone());
        }
        for d in &plan.deadlines {
            must(&zh_date(d.date), "deadline (zh)");
        }
        must(&plan.authority.zh, "addressee");
    }
    // Every letter of the catalog appears in some packet.
    for l in &catalog.letters {
        assert!(
            letters_seen.contains(&l.id),
            "letter {} never generated",
            l.id
        );
    }
}

#[test]
fn a_non_applicable_cell_is_refused_with_the_reason() {
    let engine = engine();
    let catalog = &engine.catalog;
    let refused = cells(catalog, false);
    assert!(!refused.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<_> = refused
        .iter()
        .enumerate()
        .map(|(i, (s, p))| {
            let f = dir.path().join(format!("{i:03}-{}-{}.toml", s.id, p.id));
            std::fs::write(&f, company_for(900 + i, s, p, "beijing")).unwrap();
            f
        })
        .collect();
    // One `check` over all of them: every file refused, each with its own reason.
    let mut args = vec!["check"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    let o = licpack(&args);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for (f, (s, p)) in files.iter().zip(&refused) {
        let reason = &p.verdict_for_service(&s.id).reason.en;
        let name = f.file_name().unwrap().to_str().unwrap();
        let line = err
            .lines()
            .find(|l| l.contains(name) && l.contains("does not apply"))
            .unwrap_or_else(|| panic!("{name}: no refusal in\n{err}"));
        assert!(line.contains(reason.as_str()), "{line}");
        assert!(line.contains(":21:"), "located at the `type` line: {line}");
    }
    // And `generate` exits 1 and writes nothing.
    let out = tempfile::tempdir().unwrap();
    let o = licpack(&[
        "generate",
        files[0].to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        "--date",
        TODAY,
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("procedure[0].type"), "{}", stderr(&o));
    assert_eq!(files_in(out.path()), 0);
}

#[test]
fn provincial_licence_cannot_ask_for_a_95_number() {
    let engine = engine();
    let catalog = &engine.catalog;
    let s = catalog.service("call-center").unwrap();
    let p = catalog.procedure("number-95").unwrap();
    let text = company_for(1, s, p, "beijing")
        .replace("B2-20220001", "京B2-20220001")
        .replace("\"nationwide\"", "\"provincial\"");
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("c.toml");
    std::fs::write(&f, text).unwrap();
    let o = licpack(&["check", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("96 number"), "{}", stderr(&o));
    assert_eq!(p.applies.scope, Some(Scope::Nationwide));
}

#[test]
fn catalog_command_prints_the_matrix_with_reasons() {
    let o = licpack(&["catalog", "--json"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let matrix = v["matrix"].as_array().unwrap();
    let cell = |s: &str, p: &str| {
        matrix
            .iter()
            .find(|c| c["service"] == s && c["procedure"] == p)
            .unwrap()
            .clone()
    };
    assert_eq!(cell("call-center", "outbound-calling")["applicable"], true);
    let no = cell("edi", "outbound-calling");
    assert_eq!(no["applicable"], false);
    assert!(no["reason"].as_str().unwrap().contains("call-centre"));
    assert_eq!(cell("sp", "sms-106")["applicable"], true);
    assert_eq!(cell("icp", "sms-106")["applicable"], false);
    assert_eq!(
        matrix.len(),
        v["services"].as_array().unwrap().len() * v["procedures"].as_array().unwrap().len()
    );
    let o = licpack(&["catalog"]);
    assert!(stdout(&o).contains("outbound-calling"), "{}", stdout(&o));
}

/// The README's "Supported services and procedures" section is the catalog's matrix.
/// `LICPACK_UPDATE_README=1 cargo test --release --test it catalog_matrix` rewrites it.
#[test]
fn readme_section_matches_the_catalog() {
    const BEGIN: &str = "<!-- catalog:begin -->\n";
    const END: &str = "<!-- catalog:end -->";
    let generated = matrix::to_markdown(&engine().catalog);
    let path = repo().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let start = readme.find(BEGIN).expect("README has the catalog markers") + BEGIN.len();
    let end = readme.find(END).unwrap();
    if std::env::var_os("LICPACK_UPDATE_README").is_some() {
        let updated = format!("{}{generated}{}", &readme[..start], &readme[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert_eq!(
        readme[start..end],
        generated,
        "README section out of date: rerun with LICPACK_UPDATE_README=1"
    );
}

#[test]
fn shared_multi_licence_cases_generate_every_packet() {
    let Some(cases) = shared_cases() else {
        return;
    };
    for (name, packets) in [("foreign-invested.toml", 2), ("multi-license.toml", 3)] {
        let out = tempfile::tempdir().unwrap();
        let file = cases.join(name);
        let o = licpack(&[
            "generate",
            file.to_str().unwrap(),
            "--out",
            out.path().to_str().unwrap(),
            "--date",
            TODAY,
        ]);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        assert_eq!(pdfs_in(out.path()).len(), packets, "{name}");
    }
}

#[test]
fn preflight_warns_before_a_renewal_that_will_fail() {
    let engine = engine();
    let catalog = &engine.catalog;
    let s = catalog.service("call-center").unwrap();
    let p = catalog.procedure("renewal").unwrap();
    let text = company_for(7, s, p, "beijing")
        .replace(
            "annual_reports_filed = [2022, 2023, 2024, 2025]",
            "annual_reports_filed = [2022, 2023, 2025]\npending_changes = [\"name-change\"]",
        )
        .replace(
            "services = [\"call-center\"]",
            "services = [\"call-center\"]\nservices_opened = []",
        );
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("c.toml");
    std::fs::write(&f, &text).unwrap();
    let company = engine.load_company(&f).unwrap();
    let today = chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    let plans = plan(&company, catalog, today, &Selection::default()).unwrap();
    let w: Vec<&str> = plans[0].warnings.iter().map(|w| w.en.as_str()).collect();
    assert!(w.iter().any(|w| w.contains("2024")), "{w:?}");
    assert!(w.iter().any(|w| w.contains("not opened")), "{w:?}");
    assert!(w.iter().any(|w| w.contains("name-change")), "{w:?}");
    // An expired licence asked to renew is redirected to a new application.
    let expired = text.replace("expires = 2027-06-30", "expires = 2026-06-30");
    std::fs::write(&f, expired).unwrap();
    let company = engine.load_company(&f).unwrap();
    let plans = plan(&company, catalog, today, &Selection::default()).unwrap();
    let w: Vec<&str> = plans[0].warnings.iter().map(|w| w.en.as_str()).collect();
    assert!(w.iter().any(|w| w.contains("new-application")), "{w:?}");
}

/// Every document of every applicable cell renders and parses in Chinese-only and
/// English-only packets too (the batch run above covers bilingual with layout and PDF).
#[test]
fn every_cell_composes_in_zh_and_en() {
    use licpack::templates::Lang;
    let engine = engine();
    let catalog = &engine.catalog;
    let dir = tempfile::tempdir().unwrap();
    let today = chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    for (i, (s, p)) in cells(catalog, true).into_iter().enumerate() {
        let file = dir.path().join(format!("{i}.toml"));
        std::fs::write(&file, company_for(i, s, p, "guangdong")).unwrap();
        let company = engine.load_company(&file).unwrap();
        let plans = plan(&company, catalog, today, &Selection::default()).unwrap();
        for lang in [Lang::Zh, Lang::En] {
            let packet = engine
                .compose(&plans[0], lang)
                .unwrap_or_else(|e| panic!("{} × {} ({lang:?}): {e}", s.id, p.id));
            assert_eq!(packet.documents.len(), 1 + plans[0].letters.len());
        }
    }
}

/// A change filed after its 30-day limit carries an explanatory statement.
#[test]
fn late_change_adds_an_explanatory_statement() {
    let engine = engine();
    let catalog = &engine.catalog;
    let s = catalog.service("icp").unwrap();
    let p = catalog.procedure("legal-rep-change").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("c.toml");
    let today = chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    for (date, late) in [("2026-11-10", false), ("2026-09-01", true)] {
        let text = company_for(3, s, p, "beijing").replace("2026-11-10", date);
        std::fs::write(&f, text).unwrap();
        let company = engine.load_company(&f).unwrap();
        let plans = plan(&company, catalog, today, &Selection::default()).unwrap();
        let has = |id: &str| plans[0].letters.iter().any(|l| l.id == id);
        assert_eq!(has("explanatory-statement"), late, "{date}");
        let listed = plans[0]
            .materials
            .iter()
            .any(|m| m.material.id == "explanatory-statement");
        assert_eq!(listed, late, "{date}");
        let docs = engine
            .compose(&plans[0], licpack::templates::Lang::Zh)
            .unwrap();
        assert_eq!(docs.documents.len(), 1 + plans[0].letters.len());
    }
}
