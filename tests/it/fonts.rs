//! End-to-end: fonts configured in a template directory's style.toml are embedded and used
//! per character with fallback; a character no configured font has is an error naming it,
//! its code point and the field it came from.

use crate::common;

use std::path::{Path, PathBuf};

use common::*;

const RENEWAL: &str = "samples/callcenter-renewal.toml";

/// A small system TTF (DejaVu Sans, Latin only); tests that need it skip without it.
fn dejavu() -> Option<PathBuf> {
    let p = PathBuf::from("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    p.is_file().then_some(p)
}

fn dir_with_style(font: &Path, style: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(font, dir.path().join("Latin.ttf")).unwrap();
    std::fs::write(dir.path().join("style.toml"), style).unwrap();
    dir
}

fn generate_with(templates: &Path, out: &Path) -> std::process::Output {
    let company = repo().join(RENEWAL);
    generate(&company, out, &["--templates", templates.to_str().unwrap()])
}

/// BaseFont names of every font dictionary in the PDF.
fn base_fonts(pdf: &Path) -> Vec<String> {
    let doc = lopdf::Document::load(pdf).unwrap();
    base_fonts_where(&doc, |d| has_name(d, b"Type", b"Font"))
}

/// BaseFont names of the dictionaries of `doc` that `keep` keeps.
fn base_fonts_where(
    doc: &lopdf::Document,
    keep: impl Fn(&lopdf::Dictionary) -> bool,
) -> Vec<String> {
    doc.objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| keep(d))
        .filter_map(|d| d.get(b"BaseFont").ok()?.as_name().ok())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .collect()
}

fn has_name(d: &lopdf::Dictionary, key: &[u8], value: &[u8]) -> bool {
    d.get(key)
        .is_ok_and(|t| t.as_name().is_ok_and(|n| n == value))
}

#[test]
fn a_configured_latin_font_is_embedded_beside_the_cjk_one() {
    let Some(font) = dejavu() else { return };
    let dir = dir_with_style(
        &font,
        "[fonts]\nlatin = \"Latin.ttf\"\nbody = [\"builtin\"]\n",
    );
    let out = tempfile::tempdir().unwrap();
    let o = generate_with(dir.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = &pdfs_in(out.path())[0];
    let fonts = base_fonts(pdf);
    assert!(
        fonts.iter().any(|f| f.ends_with("+DejaVuSans")),
        "{fonts:?}"
    );
    assert!(
        fonts.iter().any(|f| f.contains("NotoSerifCJKsc")),
        "{fonts:?}"
    );
    let text = pdf_text_compact(pdf);
    assert!(
        text.contains("北京云声科技有限公司") && text.contains("Beijing"),
        "{text}"
    );
}

#[test]
fn a_character_no_font_on_the_machine_has_is_named_with_its_field() {
    let Some(font) = dejavu() else { return };
    let dir = dir_with_style(&font, "[fonts]\nlatin = \"Latin.ttf\"\n");
    // U+FDD0 is a noncharacter: no font maps it, so no installed font can supply it.
    let company = company_with_legal_rep(dir.path(), "刘\u{FDD0}");
    let out = tempfile::tempdir().unwrap();
    let o = generate(
        &company,
        out.path(),
        &["--templates", dir.path().to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("error in field `company.legal_rep`: character '\\u{fdd0}' (U+FDD0) has no glyph in the fonts, nor in any font installed on this machine"),
        "{err}"
    );
    assert!(err.contains("company.toml:9:"), "located: {err}");
    assert!(err.contains("hint:"), "{err}");
    assert_eq!(files_in(out.path()), 0);
}

/// The renewal sample in `dir` with `legal_rep` set to `name`.
fn company_with_legal_rep(dir: &Path, name: &str) -> PathBuf {
    let sample = std::fs::read_to_string(repo().join(RENEWAL)).unwrap();
    let edited = sample.replace("legal_rep = \"张伟\"", &format!("legal_rep = \"{name}\""));
    assert_ne!(edited, sample, "the sample names its legal representative");
    let path = dir.join("company.toml");
    std::fs::write(&path, edited).unwrap();
    path
}

/// Whether an installed font has `ch` (fontconfig's list); outside CI a test that needs
/// one skips with a notice when none has, in CI (LICPACK_CI set) it fails.
fn installed_font_has(ch: char) -> bool {
    let query = format!(":charset={:x}", u32::from(ch));
    let found = std::process::Command::new("fc-list")
        .args([query.as_str(), "file"])
        .output()
        .is_ok_and(|o| !o.stdout.trim_ascii().is_empty());
    if !found {
        assert!(
            std::env::var_os("LICPACK_CI").is_none(),
            "LICPACK_CI is set but no installed font has {ch} (U+{:04X}); install fonts-noto-cjk",
            u32::from(ch)
        );
        eprintln!("notice: no installed font has {ch}; skipping the system font test");
    }
    found
}

/// `pdffonts` lines (poppler), past its two header lines.
fn pdffonts(pdf: &Path) -> Vec<String> {
    let o = std::process::Command::new("pdffonts")
        .arg(pdf)
        .output()
        .expect("pdffonts runs (poppler-utils)");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .skip(2)
        .map(str::to_string)
        .collect()
}

fn pdftotext(pdf: &Path) -> String {
    let o = std::process::Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs (poppler-utils)");
    assert!(o.status.success());
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn a_rare_character_of_a_name_is_drawn_from_an_installed_font_and_noted() {
    if !installed_font_has('龑') {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let company = company_with_legal_rep(dir.path(), "刘龑");
    let out = dir.path().join("out");
    let o = generate(&company, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = &pdfs_in(&out)[0];
    let text = pdftotext(pdf);
    assert!(text.contains("刘龑"), "{text}");
    // The checklist names the font that supplied it, in both languages.
    let compact = compact(&text);
    assert!(
        compact.contains("取自本机安装的字体：龑(U+9F91)取自"),
        "{compact}"
    );
    assert!(compact.contains("龑(U+9F91)from"), "{compact}");
    // Embedded as subsets: more fonts than the same packet without the character (the
    // installed regular face, and its bold for bold text), every one with a tagged name
    // (ABCDEF+…) and emb, sub and uni all yes.
    let plain = dir.path().join("plain");
    let o = generate(&repo().join(RENEWAL), &plain, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (with, without) = (pdffonts(pdf), pdffonts(&pdfs_in(&plain)[0]));
    assert!(with.len() > without.len(), "{with:#?}\n{without:#?}");
    for line in &with {
        let name = line.split_whitespace().next().unwrap_or_default();
        assert_eq!(name.find('+'), Some(6), "{line}");
        assert!(line.contains("yes yes yes"), "{line}");
    }
    // The character is mapped by a font the plain packet does not have.
    let drawing = fonts_mapping(pdf, '龑');
    assert!(!drawing.is_empty());
    let plain_fonts = base_fonts(&pdfs_in(&plain)[0]);
    assert!(
        drawing.iter().all(|f| !plain_fonts.contains(f)),
        "{drawing:?} {plain_fonts:?}"
    );
}

/// BaseFont names of the Type0 fonts whose ToUnicode map gives `ch`.
fn fonts_mapping(pdf: &Path, ch: char) -> Vec<String> {
    let doc = lopdf::Document::load(pdf).unwrap();
    let code = format!("<{:04X}>", u32::from(ch));
    base_fonts_where(&doc, |d| {
        let Ok(id) = d.get(b"ToUnicode").and_then(|r| r.as_reference()) else {
            return false;
        };
        let stream = doc.get_object(id).unwrap().as_stream().unwrap();
        let cmap = stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone());
        has_name(d, b"Subtype", b"Type0") && String::from_utf8_lossy(&cmap).contains(&code)
    })
}

#[test]
fn a_missing_font_file_is_located_in_style_toml() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("style.toml"),
        "# mine\n[fonts]\nbody = [\"FangSong.ttf\"]\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = generate_with(dir.path(), out.path());
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("style.toml:2:1: error in field `fonts`") && err.contains("FangSong.ttf"),
        "{err}"
    );
}

#[test]
fn fonts_named_in_the_agency_file_are_used() {
    let Some(font) = dejavu() else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(font, dir.path().join("Latin.ttf")).unwrap();
    let agency = dir.path().join("agency.toml");
    std::fs::write(
        &agency,
        "name = \"合规通\"\n[fonts]\nlatin = \"Latin.ttf\"\nbody = [\"builtin\"]\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let company = repo().join(RENEWAL);
    let o = licpack(&[
        "generate",
        company.to_str().unwrap(),
        "--agency",
        agency.to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        "--date",
        TODAY,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let fonts = base_fonts(&pdfs_in(out.path())[0]);
    assert!(
        fonts.iter().any(|f| f.ends_with("+DejaVuSans")),
        "{fonts:?}"
    );
}

/// (BaseFont, Subtype, font file key, font file Subtype) of every CIDFont in the PDF.
fn cid_fonts(pdf: &Path) -> Vec<(String, String, String, String)> {
    let doc = lopdf::Document::load(pdf).unwrap();
    let name = |d: &lopdf::Dictionary, key: &[u8]| {
        d.get(key)
            .ok()
            .and_then(|n| n.as_name().ok())
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_default()
    };
    doc.objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| name(d, b"Subtype").starts_with("CIDFontType"))
        .map(|d| {
            let descriptor = d.get(b"FontDescriptor").unwrap().as_reference().unwrap();
            let descriptor = doc.get_dictionary(descriptor).unwrap();
            let (key, file) = ["FontFile2", "FontFile3"]
                .into_iter()
                .find_map(|k| Some((k, descriptor.get(k.as_bytes()).ok()?)))
                .expect("an embedded font file");
            let file = doc
                .get_object(file.as_reference().unwrap())
                .unwrap()
                .as_stream()
                .unwrap();
            (
                name(d, b"BaseFont"),
                name(d, b"Subtype"),
                key.to_string(),
                name(&file.dict, b"Subtype"),
            )
        })
        .collect()
}

/// A user's CFF face (an OTF) and TrueType face (a TTF) are embedded each the way its
/// outlines need: CIDFontType0 with a bare CFF program, CIDFontType2 with a TrueType one.
#[test]
fn configured_cff_and_truetype_faces_are_embedded_each_in_its_kind() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        repo().join("fonts/NotoSerifSC-Bold.subset.otf"),
        dir.path().join("Body.otf"),
    )
    .unwrap();
    std::fs::copy(
        repo().join("tests/fixtures/fonts/NotoSerifSC-Regular.sample.ttf"),
        dir.path().join("Latin.ttf"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("style.toml"),
        "[fonts]\nbody = [\"Body.otf\"]\nlatin = \"Latin.ttf\"\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = generate_with(dir.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = &pdfs_in(out.path())[0];
    let fonts = cid_fonts(pdf);
    assert!(
        fonts.iter().any(
            |(name, subtype, file, kind)| name.ends_with("+NotoSerifCJKsc-Bold")
                && subtype == "CIDFontType0"
                && file == "FontFile3"
                && kind == "CIDFontType0C"
        ),
        "{fonts:?}"
    );
    assert!(
        fonts.iter().any(
            |(name, subtype, file, _)| name.ends_with("+NotoSerifSC-Regular")
                && subtype == "CIDFontType2"
                && file == "FontFile2"
        ),
        "{fonts:?}"
    );
    let text = pdf_text_compact(pdf);
    assert!(
        text.contains("北京云声科技有限公司") && text.contains("Beijing"),
        "{text}"
    );
}

/// A packet without rare characters is the same, byte for byte, whether or not the process
/// met a company whose name needed an installed font before it.
#[test]
fn a_packet_without_rare_characters_is_unchanged_beside_one_with_them() {
    if !installed_font_has('龑') {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let clients = dir.path().join("clients");
    std::fs::create_dir(&clients).unwrap();
    let rare = company_with_legal_rep(dir.path(), "刘龑");
    std::fs::copy(rare, clients.join("a-rare.toml")).unwrap();
    let plain = "samples/callcenter-legal-rep-change.toml";
    std::fs::copy(repo().join(plain), clients.join("b-plain.toml")).unwrap();
    let batch_out = dir.path().join("batch");
    let o = run_dated("batch", &clients, &batch_out, &["--quiet", "--jobs", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let alone = dir.path().join("alone");
    let o = generate(&repo().join(plain), &alone, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let batch = packets(&batch_out);
    let alone = packets(&alone);
    assert!(!alone.is_empty());
    for (path, bytes) in &alone {
        let name = path.file_name().unwrap();
        let (_, in_batch) = batch
            .iter()
            .find(|(p, _)| p.file_name() == Some(name))
            .unwrap_or_else(|| panic!("{name:?} not in the batch"));
        assert!(in_batch == bytes, "{name:?} differs in the batch");
    }
    // The batch did draw the rare character.
    let rare_text: String = batch
        .iter()
        .filter(|(p, _)| !alone.iter().any(|(a, _)| a.file_name() == p.file_name()))
        .map(|(p, _)| pdf_text_compact(&batch_out.join(p)))
        .collect();
    assert!(rare_text.contains("刘龑"), "{rare_text}");
}
