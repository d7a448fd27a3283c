//! Money in capitals (大写) on the printed page: the registered capital in the checklist's
//! company block and a capital change's amounts before and after, as the PDF's text gives them.

use crate::common;

use std::path::{Path, PathBuf};

use common::*;

/// The renewal sample turned into a capital change from 5 to 10 million yuan.
fn capital_change_company(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(repo().join("samples/callcenter-renewal.toml")).unwrap();
    let changed = text.replacen(
        "type = \"renewal\"",
        "type = \"capital-change\"\nregistration_change_date = 2026-11-10\n\
         previous_registered_capital = 5000000",
        1,
    );
    assert_ne!(changed, text);
    let path = dir.join("capital-change.toml");
    std::fs::write(&path, changed).unwrap();
    path
}

fn only_pdf(out: &Path) -> PathBuf {
    let pdfs = pdfs_in(out);
    assert_eq!(pdfs.len(), 1, "{pdfs:?}");
    pdfs[0].clone()
}

#[test]
fn renewal_checklist_states_the_capital_in_capitals_and_figures() {
    let out = tempfile::tempdir().unwrap();
    let o = generate(
        &repo().join("samples/callcenter-renewal.toml"),
        out.path(),
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = pdf_text_compact(&only_pdf(out.path()));
    assert!(
        text.contains("人民币壹仟万元整（¥10,000,000.00）"),
        "{text}"
    );
    assert!(text.contains("CNY10,000,000"), "{text}");
}

#[test]
fn capital_change_letter_gives_old_and_new_capital() {
    let dir = tempfile::tempdir().unwrap();
    let company = capital_change_company(dir.path());
    let out = dir.path().join("out");
    let o = generate(&company, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = pdf_text_compact(&only_pdf(&out));
    assert!(text.contains("完成注册资本变更登记"), "{text}");
    assert!(
        text.contains("变更前：人民币伍佰万元整（¥5,000,000.00）"),
        "{text}"
    );
    assert!(
        text.contains("变更后：人民币壹仟万元整（¥10,000,000.00）"),
        "{text}"
    );
    assert!(
        text.contains("原注册资本Previousregisteredcapital人民币伍佰万元整（¥5,000,000.00）"),
        "{text}"
    );
    assert!(
        text.contains("Before:CNY5,000,000(人民币伍佰万元整)"),
        "{text}"
    );
    assert!(
        !text.contains("法定代表人由"),
        "the legal-rep wording leaked: {text}"
    );
}

#[test]
fn capital_change_needs_the_previous_capital() {
    let dir = tempfile::tempdir().unwrap();
    let company = capital_change_company(dir.path());
    let text = std::fs::read_to_string(&company).unwrap();
    std::fs::write(
        &company,
        text.replace("previous_registered_capital = 5000000", ""),
    )
    .unwrap();
    let o = licpack(&["check", company.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("previous_registered_capital = 5000000"),
        "{err}"
    );

    std::fs::write(&company, text.replace("= 5000000", "= \"五百万\"")).unwrap();
    let o = licpack(&["check", company.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("capital-change.toml:"), "{err}");
    assert!(
        err.contains("must be a positive integer amount in CNY"),
        "{err}"
    );
}
