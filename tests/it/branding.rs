//! End-to-end: an agency file puts the agency's logo and name on every page, for `generate`
//! (`--agency`) and for `batch` (an `agency.toml` in the input folder); without one nothing
//! of it appears; output stays byte-identical.

use crate::common;

use std::path::{Path, PathBuf};

use common::*;
use lopdf::{Document, Object};

const RENEWAL: &str = "samples/callcenter-renewal.toml";
const AGENCY_ZH: &str = "北京合规通企业服务有限公司";

fn agency_file() -> PathBuf {
    repo().join("tests/fixtures/agency/agency.toml")
}

fn generate_renewal(out: &Path, extra: &[&str]) -> PathBuf {
    let o = generate(&repo().join(RENEWAL), out, extra);
    assert!(o.status.success(), "{}", stderr(&o));
    pdfs_in(out).remove(0)
}

/// Image XObjects each page's resources name.
fn images_per_page(path: &Path) -> Vec<usize> {
    let doc = Document::load(path).unwrap();
    doc.get_pages()
        .values()
        .map(|page| {
            let (resources, ids) = doc.get_page_resources(*page).unwrap();
            let mut dicts: Vec<&lopdf::Dictionary> = resources.into_iter().collect();
            dicts.extend(ids.iter().filter_map(|id| doc.get_dictionary(*id).ok()));
            dicts
                .iter()
                .filter_map(|r| r.get(b"XObject").ok())
                .filter_map(|x| match x {
                    Object::Reference(id) => doc.get_dictionary(*id).ok(),
                    Object::Dictionary(d) => Some(d),
                    _ => None,
                })
                .flat_map(|xobjects| xobjects.iter().map(|(_, v)| v.clone()))
                .filter_map(|v| v.as_reference().ok())
                .filter_map(|id| doc.get_object(id).ok()?.as_stream().ok().cloned())
                .filter(|s| {
                    s.dict
                        .get(b"Subtype")
                        .is_ok_and(|t| t.as_name().is_ok_and(|n| n == b"Image"))
                })
                .count()
        })
        .collect()
}

#[test]
fn agency_logo_and_name_are_on_every_page() {
    let out = tempfile::tempdir().unwrap();
    let pdf = generate_renewal(out.path(), &["--agency", agency_file().to_str().unwrap()]);
    let images = images_per_page(&pdf);
    assert!(images.len() > 3);
    assert!(images.iter().all(|n| *n == 1), "{images:?}");
    for (i, page) in pdf_pages_text(&pdf).iter().enumerate() {
        let page = compact(page);
        assert!(
            page.contains(AGENCY_ZH),
            "page {} lacks the agency name",
            i + 1
        );
        assert!(page.contains("400-800-1234"), "page {}", i + 1);
    }
    // Same input, same bytes.
    let again = tempfile::tempdir().unwrap();
    let pdf2 = generate_renewal(again.path(), &["--agency", agency_file().to_str().unwrap()]);
    assert_eq!(std::fs::read(&pdf).unwrap(), std::fs::read(&pdf2).unwrap());
}

#[test]
fn no_agency_no_branding() {
    let out = tempfile::tempdir().unwrap();
    let pdf = generate_renewal(out.path(), &[]);
    assert!(images_per_page(&pdf).iter().all(|n| *n == 0));
    assert!(!pdf_text_compact(&pdf).contains(AGENCY_ZH));
}

#[test]
fn batch_uses_the_agency_file_of_its_input_folder() {
    let input = tempfile::tempdir().unwrap();
    for f in ["agency.toml", "logo.png"] {
        std::fs::copy(
            repo().join("tests/fixtures/agency").join(f),
            input.path().join(f),
        )
        .unwrap();
    }
    std::fs::copy(repo().join(RENEWAL), input.path().join("client.toml")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = licpack(&[
        "batch",
        input.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        "--date",
        TODAY,
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let packet = pdfs_in(out.path())
        .into_iter()
        .find(|p| !p.ends_with("summary.pdf"))
        .unwrap();
    assert!(images_per_page(&packet).iter().all(|n| *n == 1));
    assert!(pdf_pages_text(&packet)
        .iter()
        .all(|p| compact(p).contains(AGENCY_ZH)));
    // The summary the agency hands on carries its branding too.
    let summary = out.path().join("summary.pdf");
    assert!(images_per_page(&summary).iter().all(|n| *n == 1));
    assert!(pdf_pages_text(&summary)
        .iter()
        .all(|p| compact(p).contains(AGENCY_ZH)));
}

#[test]
fn a_broken_agency_file_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("agency.toml");
    std::fs::write(&path, "name = \"合规通\"\nlogo = \"missing.png\"\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    let company = repo().join(RENEWAL);
    let o = licpack(&[
        "generate",
        company.to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        "--agency",
        path.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("agency.toml:2:1: error in field `logo`"),
        "{err}"
    );
    assert!(err.contains("hint:"), "{err}");
    assert_eq!(files_in(out.path()), 0);
}
