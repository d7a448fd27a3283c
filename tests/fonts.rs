//! End-to-end: fonts configured in a template directory's style.toml are embedded and used
//! per character with fallback; a character no configured font has is an error naming it,
//! its code point and the field it came from.

mod common;

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
    doc.objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| {
            d.get(b"Type")
                .is_ok_and(|t| t.as_name().is_ok_and(|n| n == b"Font"))
        })
        .filter_map(|d| d.get(b"BaseFont").ok()?.as_name().ok())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .collect()
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
fn a_character_no_configured_font_has_is_named_with_its_field() {
    let Some(font) = dejavu() else { return };
    let dir = dir_with_style(&font, "[fonts]\nbody = [\"Latin.ttf\"]\n");
    let out = tempfile::tempdir().unwrap();
    let o = generate_with(dir.path(), out.path());
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("error in field `company.name`: character '北' (U+5317) has no glyph"),
        "{err}"
    );
    assert!(err.contains("hint:"), "{err}");
    assert_eq!(files_in(out.path()), 0);
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
