//! End-to-end: `--format docx` writes, beside each PDF, a Word document read back here from
//! outside — its `word/document.xml` unzipped, and every sample converted by LibreOffice —
//! holding everything the PDF holds, with the same bytes on every run.

use crate::common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use licpack::plan::{plan, PacketPlan, Selection};

const SAMPLES: &[&str] = &[
    "samples/callcenter-renewal.toml",
    "samples/callcenter-legal-rep-change.toml",
    "samples/callcenter-reapplication.toml",
    "samples/long-text-renewal.toml",
];

/// A zip part of `docx` as text.
fn part(docx: &Path, name: &str) -> String {
    let file = std::fs::File::open(docx).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut out = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut out).unwrap();
    out
}

/// The text of `word/document.xml`: every `w:t`, unescaped, whitespace removed.
fn document_text(docx: &Path) -> String {
    let xml = part(docx, "word/document.xml");
    let re = regex::Regex::new(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>").unwrap();
    let text: String = re
        .captures_iter(&xml)
        .map(|c| {
            c[1].replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&")
        })
        .collect();
    compact(&text)
}

/// The plans of a sample, as `generate` makes them.
fn plans_of<'a>(
    engine: &'a licpack::packet::Engine,
    company: &'a licpack::company::Company,
) -> Vec<PacketPlan<'a>> {
    let today = chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    plan(company, &engine.catalog, today, &Selection::default()).unwrap()
}

fn generate_both(sample: &str, out: &Path) {
    let o = generate(&repo().join(sample), out, &["--format", "pdf,docx"]);
    assert!(o.status.success(), "{sample}: {}", stderr(&o));
}

/// Generates `company` as PDF and DOCX and checks that each packet's `word/document.xml`
/// holds every material (zh and en), the company's identifiers, the deadline dates and the
/// letter titles in order.
fn assert_docx_complete(engine: &licpack::packet::Engine, company: &Path) {
    let out = tempfile::tempdir().unwrap();
    let o = generate(company, out.path(), &["--format", "pdf,docx"]);
    assert!(o.status.success(), "{}: {}", company.display(), stderr(&o));
    let company = engine.load_company(company).unwrap();
    for p in plans_of(engine, &company) {
        let pdf = licpack::output::packet_path(out.path(), &company, &p.file_stem);
        let docx = pdf.with_extension("docx");
        let text = document_text(&docx);
        let mut last = 0;
        for (l, at) in p
            .letters
            .iter()
            .zip(assert_holds_plan(&text, &company, &p, &docx))
        {
            assert!(
                at >= last,
                "{}: letter {} out of order",
                docx.display(),
                l.title.zh
            );
            last = at;
        }
    }
}

#[test]
fn every_sample_docx_holds_materials_identifiers_deadlines_and_letters_in_order() {
    let engine = licpack::packet::Engine::new(None).unwrap();
    for sample in SAMPLES {
        assert_docx_complete(&engine, &repo().join(sample));
    }
}

#[test]
fn shared_cases_docx_hold_their_packets() {
    let Some(cases) = shared_cases() else {
        eprintln!("shared/cases not present: skipped");
        return;
    };
    let engine = licpack::packet::Engine::new(None).unwrap();
    for f in [
        "callcenter-renewal.toml",
        "legal-rep-change.toml",
        "reapplication.toml",
        "multi-license.toml",
        "foreign-invested.toml",
    ] {
        assert_docx_complete(&engine, &cases.join(f));
    }
}

#[test]
fn docx_is_a_word_document_with_styles_fields_and_metadata() {
    let out = tempfile::tempdir().unwrap();
    generate_both(SAMPLES[0], out.path());
    let docx = first_docx(out.path());
    let doc = part(&docx, "word/document.xml");
    // Checklist table header repeats; letters start on their own page (one section each).
    assert!(doc.contains("<w:tblHeader />"));
    assert!(doc.matches("<w:sectPr").count() >= 2);
    assert!(doc.contains("<w:pStyle w:val=\"Heading1\""));
    assert!(doc.contains("<w:pStyle w:val=\"LetterTitle\""));
    assert!(doc.contains("<w:pStyle w:val=\"Signature\""));
    assert!(doc.contains("（盖章）"));
    // Letter bodies use the body style, not direct formatting.
    assert!(!doc.contains("<w:sz "), "direct type sizes in the body");
    // The letter's points 一、 二、 … are a Word list, its label "%1、" in Chinese counting.
    let point = doc.find("严格遵守《中华人民共和国电信条例》").unwrap();
    let paragraph = &doc[doc[..point].rfind("<w:p ").unwrap()..point];
    assert!(paragraph.contains("<w:numPr>"), "{paragraph}");
    assert!(
        !doc.contains("一、严格遵守"),
        "the label is the list's, not text"
    );
    let numbering = part(&docx, "word/numbering.xml");
    assert!(numbering.contains("chineseCounting") && numbering.contains("%1、"));
    let styles = part(&docx, "word/styles.xml");
    assert!(styles.contains("w:eastAsia=\"zh-CN\""));
    assert!(styles.contains("w:eastAsia=\"仿宋\""));
    let footer = part(&docx, "word/footer1.xml");
    assert!(footer.contains("NUMPAGES") && footer.contains("PAGE"));
    let core = part(&docx, "docProps/core.xml");
    assert!(core.contains("<dc:title>北京云声科技有限公司"), "{core}");
    assert!(core.contains("2026-11-25T00:00:00Z"), "{core}");
}

#[test]
fn same_docx_bytes_from_generate_and_from_batches_of_any_jobs() {
    let clients = tempfile::tempdir().unwrap();
    for (i, sample) in SAMPLES.iter().enumerate() {
        std::fs::copy(
            repo().join(sample),
            clients.path().join(format!("c{i}.toml")),
        )
        .unwrap();
    }
    let one = tempfile::tempdir().unwrap();
    for sample in SAMPLES {
        generate_both(sample, one.path());
    }
    let docx_bytes = |dir: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        files_under(dir)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|x| x == "docx"))
            .map(|p| {
                (
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                )
            })
            .collect()
    };
    let expected = docx_bytes(one.path());
    assert_eq!(
        expected.len(),
        SAMPLES.len(),
        "one DOCX per sample's packet"
    );
    for jobs in ["1", "2"] {
        let out = tempfile::tempdir().unwrap();
        let o = run_dated(
            "batch",
            clients.path(),
            out.path(),
            &["--format", "pdf,docx", "--jobs", jobs, "--quiet"],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(docx_bytes(out.path()), expected, "--jobs {jobs}");
    }
}

#[test]
fn batch_counts_docx_files_and_rewrites_none_when_unchanged() {
    let clients = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join(SAMPLES[0]), clients.path().join("a.toml")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let batch = |extra: &[&str]| {
        let mut args = vec!["--quiet"];
        args.extend_from_slice(extra);
        let o = run_dated("batch", clients.path(), out.path(), &args);
        assert!(o.status.success(), "{}", stderr(&o));
        let json = std::fs::read_to_string(out.path().join("summary.json")).unwrap();
        serde_json::from_str::<Vec<serde_json::Value>>(&json).unwrap()
    };
    let rows = batch(&["--format", "docx"]);
    assert_eq!(rows.len(), 1);
    assert!(rows[0]["path"].as_str().unwrap().ends_with(".docx"));
    assert_eq!(rows[0]["status"], "written");
    let rows = batch(&["--format", "pdf,docx"]);
    let statuses: Vec<_> = rows.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(
        statuses,
        ["written", "unchanged"],
        "the PDF is new, the DOCX unchanged"
    );
    // A DOCX whose content changed is kept without --force and replaced with it.
    let docx = files_under(out.path())
        .into_iter()
        .find(|p| p.extension().is_some_and(|x| x == "docx"))
        .unwrap();
    std::fs::write(&docx, b"edited by a clerk").unwrap();
    let o = run_dated(
        "batch",
        clients.path(),
        out.path(),
        &["--format", "docx", "--quiet"],
    );
    assert!(!o.status.success());
    assert_eq!(std::fs::read(&docx).unwrap(), b"edited by a clerk");
    let rows = batch(&["--format", "docx", "--force"]);
    assert_eq!(rows[0]["status"], "replaced");
}

/// LibreOffice, or `None` with a notice when it is absent outside CI (CI must run this).
fn soffice() -> Option<&'static str> {
    let found = Command::new("soffice").arg("--version").output().is_ok();
    if found {
        return Some("soffice");
    }
    assert!(
        std::env::var_os("LICPACK_CI").is_none(),
        "LICPACK_CI is set but soffice is missing; install libreoffice-writer-nogui"
    );
    eprintln!("notice: soffice not found; skipping the LibreOffice conversion test");
    None
}

/// Converts every DOCX in `files` to PDF in `dir` with one LibreOffice start (a private
/// profile, with the packet's font installed in it so CJK text has glyphs).
fn convert(files: &[PathBuf], dir: &Path) {
    let profile = tempfile::tempdir().unwrap();
    let fonts = profile.path().join("user/fonts");
    std::fs::create_dir_all(&fonts).unwrap();
    for f in [
        "NotoSerifSC-Regular.subset.otf",
        "NotoSerifSC-Bold.subset.otf",
    ] {
        std::fs::copy(repo().join("fonts").join(f), fonts.join(f)).unwrap();
    }
    let profile_url = format!("-env:UserInstallation=file://{}", profile.path().display());
    let o = Command::new("soffice")
        .arg(profile_url)
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .args(files)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn pdf_page_count(path: &Path) -> usize {
    lopdf::Document::load(path).unwrap().get_pages().len()
}

/// Letters, digits and ideographs of `s`: LibreOffice hangs punctuation such as 、 and 。
/// into the margin at a line end, where pdftotext may not read it, so words are compared.
fn words(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The converted PDF's text through pdftotext (poppler) in content order (`-raw`, so a
/// table cell's wrapped lines stay together rather than interleave with its row), as `words`.
fn pdftotext(path: &Path) -> String {
    let o = Command::new("pdftotext")
        .arg("-raw")
        .arg(path)
        .arg("-")
        .output()
        .unwrap();
    assert!(o.status.success());
    words(&String::from_utf8_lossy(&o.stdout))
}

#[test]
fn libreoffice_reads_every_sample_with_its_letters_and_a_similar_page_count() {
    let Some(_) = soffice() else { return };
    let engine = licpack::packet::Engine::new(None).unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut expected = Vec::new();
    for sample in SAMPLES {
        generate_both(sample, out.path());
        let company = engine.load_company(&repo().join(sample)).unwrap();
        for p in plans_of(&engine, &company) {
            let pdf = licpack::output::packet_path(out.path(), &company, &p.file_stem);
            let packet = engine
                .compose(&p, licpack::templates::Lang::Bilingual)
                .unwrap();
            expected.push((pdf, packet));
        }
    }
    let docx: Vec<PathBuf> = expected
        .iter()
        .map(|(p, _)| p.with_extension("docx"))
        .collect();
    let converted = tempfile::tempdir().unwrap();
    convert(&docx, converted.path());
    for (pdf, packet) in &expected {
        let name = pdf.file_name().unwrap();
        let lo_pdf = converted.path().join(name);
        let text = pdftotext(&lo_pdf);
        for document in &packet.documents {
            for line in document
                .plain_text()
                .lines()
                .filter(|l| !l.trim().is_empty())
            {
                assert!(
                    text.contains(&words(line)),
                    "{}: LibreOffice's text lacks {line:?} of {}",
                    name.display(),
                    document.title
                );
            }
        }
        let (ours, theirs) = (pdf_page_count(pdf), pdf_page_count(&lo_pdf));
        let ratio = theirs as f64 / ours as f64;
        assert!(
            (0.7..=1.3).contains(&ratio),
            "{}: LibreOffice sets {theirs} pages, licpack's PDF has {ours}",
            name.display()
        );
    }
}

#[test]
fn templates_check_locates_what_word_cannot_hold() {
    const LAWFUL: &str = "documents/letters/commitment-lawful.md.tera";
    const SIGNATURE: &str = "{{ m::signature(company=company, today=today, en=false) }}";
    let dir = tempfile::tempdir().unwrap();
    let o = licpack(&[
        "templates",
        "eject",
        LAWFUL,
        "--to",
        dir.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let file = dir.path().join(LAWFUL);
    let text = std::fs::read_to_string(&file).unwrap();
    // Ten nested levels: the PDF layout sets them, Word stops at nine; the tenth is named.
    let line = text.lines().position(|l| l.contains(SIGNATURE)).unwrap() + 1 + 9;
    let list: String = (0..10)
        .map(|level| format!("{}- 第{}层\n", "  ".repeat(level), level + 1))
        .collect();
    std::fs::write(
        &file,
        text.replace(SIGNATURE, &format!("{list}\n{SIGNATURE}")),
    )
    .unwrap();
    let o = licpack(&["templates", "check", dir.path().to_str().unwrap()]);
    let err = stderr(&o);
    assert!(!o.status.success(), "{err}");
    let located = format!("{}:{line}:", file.display());
    assert!(err.contains(&located), "want {located}\n{err}");
    assert!(err.contains("10 levels deep"), "{err}");
    assert!(err.contains("第10层"), "{err}");
    assert!(err.contains("hint:"), "{err}");
    // Writing the DOCX refuses it too, naming the letter; the PDF alone is still written.
    let out = tempfile::tempdir().unwrap();
    let templates = ["--templates", dir.path().to_str().unwrap()];
    let company = repo().join(SAMPLES[0]);
    let o = generate(
        &company,
        out.path(),
        &[&templates[..], &["--format", "docx"]].concat(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("Word cannot express"), "{}", stderr(&o));
    let o = generate(&company, out.path(), &templates);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// The renewal sample's DOCX with the sample agency's branding.
fn branded_docx(out: &Path) -> PathBuf {
    let agency = repo().join("samples/agency/agency.toml");
    let o = generate(
        &repo().join(SAMPLES[0]),
        out,
        &["--format", "docx", "--agency", agency.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    first_docx(out)
}

/// The first DOCX file under `dir`.
fn first_docx(dir: &Path) -> PathBuf {
    files_under(dir)
        .into_iter()
        .find(|p| p.extension().is_some_and(|x| x == "docx"))
        .expect("a DOCX was written")
}

#[test]
fn the_agency_logo_is_a_picture_of_the_docx_header() {
    let out = tempfile::tempdir().unwrap();
    let docx = branded_docx(out.path());
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&docx).unwrap()).unwrap();
    let mut media = Vec::new();
    zip.by_name("word/media/logo.png")
        .unwrap()
        .read_to_end(&mut media)
        .unwrap();
    // The same picture as the agency's file (decoded alike), not a stand-in.
    let original = std::fs::read(repo().join("samples/agency/logo.png")).unwrap();
    let (a, b) = (
        licpack::image::Image::decode(&media).unwrap(),
        licpack::image::Image::decode(&original).unwrap(),
    );
    assert_eq!((a.width, a.height, &a.data), (b.width, b.height, &b.data));
    let rels = part(&docx, "word/_rels/header1.xml.rels");
    assert!(
        rels.contains(r#"Id="rIdLogo""#) && rels.contains(r#"Target="media/logo.png""#),
        "{rels}"
    );
    let header = part(&docx, "word/header1.xml");
    assert!(header.contains(r#"r:embed="rIdLogo""#), "{header}");
    assert!(header.contains("北京云声科技有限公司"), "{header}");
    let types = part(&docx, "[Content_Types].xml");
    assert!(
        types.contains(r#"<Default ContentType="image/png" Extension="png" />"#),
        "{types}"
    );
    // Unbranded packets have no picture.
    let plain = tempfile::tempdir().unwrap();
    generate_both(SAMPLES[0], plain.path());
    let docx = first_docx(plain.path());
    assert!(!part(&docx, "word/header1.xml").contains("w:drawing"));
}

/// `pdfimages -list` rows (poppler): (page, type, width, height).
fn pdf_images(pdf: &Path) -> Vec<(usize, String, u32, u32)> {
    let o = Command::new("pdfimages")
        .arg("-list")
        .arg(pdf)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .skip(2)
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            Some((
                f[0].parse().ok()?,
                f[2].to_string(),
                f[3].parse().ok()?,
                f[4].parse().ok()?,
            ))
        })
        .collect()
}

#[test]
fn libreoffice_shows_the_agency_logo_on_every_page_of_the_docx() {
    let Some(_) = soffice() else { return };
    let out = tempfile::tempdir().unwrap();
    let docx = branded_docx(out.path());
    let converted = tempfile::tempdir().unwrap();
    convert(std::slice::from_ref(&docx), converted.path());
    let pdf = converted
        .path()
        .join(docx.with_extension("pdf").file_name().unwrap());
    let logo = licpack::image::Image::decode(
        &std::fs::read(repo().join("samples/agency/logo.png")).unwrap(),
    )
    .unwrap();
    let images = pdf_images(&pdf);
    let pages = pdf_page_count(&pdf);
    let logo_pages: std::collections::BTreeSet<usize> = images
        .iter()
        .filter(|(_, kind, w, h)| kind == "image" && (*w, *h) == (logo.width, logo.height))
        .map(|(page, ..)| *page)
        .collect();
    assert_eq!(logo_pages.len(), pages, "{images:?} on {pages} pages");
}
