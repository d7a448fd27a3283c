//! Turns `style.toml` (built in, or the user's override) into the layout [`Style`] of each
//! document kind. Every key is optional and falls back to a preset, so a user can change one
//! size without restating the rest; sizes may be Chinese size names (三号, 小四 …).

use serde::de::{self, Deserializer};
use serde::Deserialize;

use crate::diag::{line_col, Diagnostic, Diagnostics};
use crate::document::DocumentKind;
use crate::layout::{Fit, Language, Style};
use std::path::{Path, PathBuf};

use crate::fonts::{FontConfig, FontSource};
use crate::library::{Library, Origin};
use crate::units::Pt;

/// The library file holding the styles.
pub const STYLE_FILE: &str = "style.toml";

/// Chinese type sizes (字号) in points (`typography.md` §3).
pub const SIZE_NAMES: &[(&str, f32)] = &[
    ("初号", 42.0),
    ("小初", 36.0),
    ("一号", 26.0),
    ("小一", 24.0),
    ("二号", 22.0),
    ("小二", 18.0),
    ("三号", 16.0),
    ("小三", 15.0),
    ("四号", 14.0),
    ("小四", 12.0),
    ("五号", 10.5),
    ("小五", 9.0),
    ("六号", 7.5),
    ("小六", 6.5),
    ("七号", 5.5),
    ("八号", 5.0),
];

/// A type size: points, or a Chinese size name.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Size(f32);

impl<'de> Deserialize<'de> for Size {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Size, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Pt(f32),
            Name(String),
        }
        match Raw::deserialize(d)? {
            Raw::Pt(pt) if pt > 0.0 && pt < 200.0 => Ok(Size(pt)),
            Raw::Pt(pt) => Err(de::Error::custom(format!("{pt} pt is not a usable size"))),
            Raw::Name(name) => size_by_name(&name).map(Size).ok_or_else(|| {
                let names: Vec<&str> = SIZE_NAMES.iter().map(|(n, _)| *n).collect();
                de::Error::custom(format!(
                    "unknown size \"{name}\"; use points or one of {}",
                    names.join(" ")
                ))
            }),
        }
    }
}

/// The points of a Chinese size name, or of a number written as text (`"10.5"`, `"12pt"`).
pub fn size_by_name(name: &str) -> Option<f32> {
    let name = name.trim();
    SIZE_NAMES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, pt)| *pt)
        .or_else(|| name.trim_end_matches("pt").trim().parse().ok())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
enum PageSize {
    A4,
    Letter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Preset {
    Checklist,
    Letter,
    EnglishLetter,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
struct Margins {
    top: Option<f32>,
    bottom: Option<f32>,
    left: Option<f32>,
    right: Option<f32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct KindStyle {
    preset: Option<Preset>,
    page: Option<PageSize>,
    margins_mm: Option<Margins>,
    body_size: Option<Size>,
    line_pitch_pt: Option<f32>,
    secondary_size: Option<Size>,
    title_size: Option<Size>,
    section_size: Option<Size>,
    subsection_size: Option<Size>,
    table_size: Option<Size>,
    table_secondary_size: Option<Size>,
    first_line_indent_em: Option<f32>,
    paragraph_space_pt: Option<f32>,
    footer_size: Option<Size>,
    fit: Option<FitKey>,
    min_size: Option<Size>,
    fit_step_pt: Option<f32>,
    seal_placeholder: Option<bool>,
}

/// `fit`: whether each part of a document must fit one page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum FitKey {
    Flow,
    OnePage,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct StyleFile {
    checklist: Option<KindStyle>,
    letter: Option<KindStyle>,
    #[serde(rename = "english-letter")]
    english_letter: Option<KindStyle>,
    fonts: Option<FontsSection>,
}

/// `[fonts]`: each entry is `"builtin"`, a path (relative to style.toml) or `"path#index"`
/// for a face of a TTC collection.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FontsSection {
    #[serde(default)]
    body: Vec<String>,
    #[serde(default)]
    heading: Vec<String>,
    latin: Option<String>,
}

/// The style of each document kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Styles {
    pub checklist: Style,
    pub letter: Style,
    /// Letters of English-only packets.
    pub english_letter: Style,
    /// The user's fonts; `None` keeps the embedded ones.
    pub fonts: Option<FontConfig>,
}

impl Default for Styles {
    fn default() -> Styles {
        Styles {
            checklist: Style::checklist(),
            letter: Style::letter(),
            english_letter: Style::english_letter(),
            fonts: None,
        }
    }
}

impl Styles {
    pub fn for_kind(&self, kind: DocumentKind) -> Style {
        match kind {
            DocumentKind::Checklist => self.checklist.clone(),
            DocumentKind::Letter => self.letter.clone(),
        }
    }

    /// The style of a document of `kind` in a packet of `language`.
    pub fn for_document(&self, kind: DocumentKind, language: Language) -> Style {
        match (kind, language) {
            (DocumentKind::Letter, Language::English) => self.english_letter.clone(),
            _ => self.for_kind(kind),
        }
    }
}

/// The styles of `library`'s `style.toml` (the presets when there is none).
pub fn load(library: &Library) -> Result<Styles, Diagnostics> {
    let Some(file) = library.get(STYLE_FILE) else {
        return Ok(Styles::default());
    };
    let parsed: StyleFile = toml::from_str(&file.text).map_err(|e| {
        let (line, column) = e.span().map_or((0, 0), |s| line_col(&file.text, s.start));
        Diagnostics(vec![Diagnostic::new(
            file.display_path(),
            e.message().trim(),
        )
        .at(line, column)
        .hint(
            "see the built-in style.toml (`licpack templates eject style.toml`) for every key",
        )])
    })?;
    let base = match &file.origin {
        Origin::User(path) => path.parent().map(Path::to_path_buf).unwrap_or_default(),
        Origin::Builtin => PathBuf::from("."),
    };
    Ok(Styles {
        checklist: resolve(parsed.checklist, Preset::Checklist),
        letter: resolve(parsed.letter, Preset::Letter),
        english_letter: resolve(parsed.english_letter, Preset::EnglishLetter),
        fonts: parsed.fonts.map(|f| f.resolve(&base)),
    })
}

impl FontsSection {
    /// The configuration with paths taken relative to `base`.
    pub(crate) fn resolve(&self, base: &Path) -> FontConfig {
        FontConfig {
            body: self.body.iter().map(|s| font_source(s, base)).collect(),
            heading: self.heading.iter().map(|s| font_source(s, base)).collect(),
            latin: self.latin.as_deref().map(|s| font_source(s, base)),
        }
    }
}

/// Line of the `[fonts]` table in style.toml, for font errors.
pub fn fonts_line(library: &Library) -> (PathBuf, usize) {
    library
        .get(STYLE_FILE)
        .map_or((PathBuf::from(STYLE_FILE), 0), |f| {
            let line = f
                .text
                .lines()
                .position(|l| l.trim() == "[fonts]")
                .map_or(0, |i| i + 1);
            (f.display_path(), line)
        })
}

fn font_source(entry: &str, base: &Path) -> FontSource {
    if entry == "builtin" {
        return FontSource::Builtin;
    }
    let (path, index) = match entry.rsplit_once('#') {
        Some((p, i)) if i.parse::<u32>().is_ok() => (p, i.parse().unwrap_or(0)),
        _ => (entry, 0),
    };
    FontSource::File {
        path: base.join(path),
        index,
    }
}

/// The preset's style with every given key applied.
fn resolve(given: Option<KindStyle>, default: Preset) -> Style {
    let Some(k) = given else {
        return preset(default);
    };
    let mut s = preset(k.preset.unwrap_or(default));
    if let Some(page) = k.page {
        let (w, h) = match page {
            PageSize::A4 => (210.0, 297.0),
            PageSize::Letter => (215.9, 279.4),
        };
        (s.page_width, s.page_height) = (Pt::mm(w), Pt::mm(h));
    }
    if let Some(m) = k.margins_mm {
        let set = |v: Option<f32>, field: &mut Pt| *field = v.map_or(*field, Pt::mm);
        set(m.top, &mut s.margin_top);
        set(m.bottom, &mut s.margin_bottom);
        set(m.left, &mut s.margin_left);
        set(m.right, &mut s.margin_right);
    }
    let pitch = k.line_pitch_pt.unwrap_or(s.body.size.0 * s.body.leading);
    if let Some(Size(pt)) = k.body_size {
        s.body.size = Pt(pt);
    }
    s.body.leading = pitch / s.body.size.0;
    let [title, section, subsection] = &mut s.headings;
    let sizes = [
        (k.secondary_size, &mut s.secondary.size),
        (k.title_size, &mut title.text.size),
        (k.section_size, &mut section.text.size),
        (k.subsection_size, &mut subsection.text.size),
        (k.table_size, &mut s.table.text.size),
        (k.table_secondary_size, &mut s.table.secondary.size),
        (k.footer_size, &mut s.furniture.text.size),
    ];
    for (given, field) in sizes {
        if let Some(Size(pt)) = given {
            *field = Pt(pt);
        }
    }
    if let Some(em) = k.first_line_indent_em {
        s.first_line_indent = em;
    }
    if let Some(pt) = k.paragraph_space_pt {
        s.paragraph_space = Pt(pt);
    }
    if let Some(fit) = k.fit {
        s.fit = match fit {
            FitKey::Flow => Fit::Flow,
            FitKey::OnePage => Fit::OnePage,
        };
    }
    if let Some(Size(pt)) = k.min_size {
        s.min_body_size = Pt(pt);
    }
    if let Some(pt) = k.fit_step_pt {
        s.fit_step = Pt(pt);
    }
    if let Some(on) = k.seal_placeholder {
        s.seal_placeholder = on;
    }
    s
}

fn preset(p: Preset) -> Style {
    match p {
        Preset::Checklist => Style::checklist(),
        Preset::Letter => Style::letter(),
        Preset::EnglishLetter => Style::english_letter(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(text: &str) -> (tempfile::TempDir, Library) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(STYLE_FILE), text).unwrap();
        let lib = Library::with_user_dir(dir.path()).unwrap();
        (dir, lib)
    }

    fn close(a: &Style, b: &Style) -> bool {
        // Millimetre round trips differ in the last float bits.
        format!("{a:.3?}") == format!("{b:.3?}")
    }

    #[test]
    fn builtin_style_file_spells_out_the_presets() {
        let styles = load(&Library::builtin()).unwrap();
        assert!(
            close(&styles.checklist, &Style::checklist()),
            "{:?}",
            styles.checklist
        );
        assert!(
            close(&styles.letter, &Style::letter()),
            "{:?}",
            styles.letter
        );
        assert!(
            close(&styles.english_letter, &Style::english_letter()),
            "{:?}",
            styles.english_letter
        );
    }

    #[test]
    fn english_letters_take_their_own_table_and_fit_step() {
        let (_d, lib) = user(
            "[english-letter]
body_size = 11
fit_step_pt = 0.5
",
        );
        let styles = load(&lib).unwrap();
        let english = styles.for_document(DocumentKind::Letter, Language::English);
        assert_eq!(english.body.size, Pt(11.0));
        assert_eq!(english.fit_step, Pt(0.5));
        assert_eq!(english.min_body_size, Style::english_letter().min_body_size);
        assert_eq!(
            styles.for_document(DocumentKind::Letter, Language::Chinese),
            Style::letter()
        );
    }

    #[test]
    fn chinese_size_names_and_partial_overrides() {
        assert_eq!(size_by_name("三号"), Some(16.0));
        assert_eq!(size_by_name("小四"), Some(12.0));
        assert_eq!(size_by_name("四号"), Some(14.0));
        assert_eq!(size_by_name("小三"), Some(15.0));
        assert_eq!(size_by_name("五号"), Some(10.5));
        let (_d, lib) = user("[letter]\nbody_size = \"小三\"\npage = \"Letter\"\n");
        let styles = load(&lib).unwrap();
        assert_eq!(styles.letter.body.size, Pt(15.0));
        assert!((styles.letter.body.size.0 * styles.letter.body.leading - 28.9).abs() < 1e-3);
        assert!((styles.letter.page_height.to_mm() - 279.4).abs() < 0.01);
        assert_eq!(styles.checklist, Style::checklist());
    }

    #[test]
    fn fit_minimum_and_seal_placeholder_keys() {
        let letter = load(&Library::builtin()).unwrap().letter;
        assert_eq!(letter.fit, Fit::OnePage);
        assert_eq!(letter.min_body_size, Pt(12.0));
        assert!(letter.seal_placeholder);
        let (_d, lib) =
            user("[letter]\nfit = \"flow\"\nmin_size = \"四号\"\nseal_placeholder = false\n");
        let letter = load(&lib).unwrap().letter;
        assert_eq!(letter.fit, Fit::Flow);
        assert_eq!(letter.min_body_size, Pt(14.0));
        assert!(!letter.seal_placeholder);
        let (_d, lib) = user("[letter]\nfit = \"one page\"\n");
        let err = load(&lib).unwrap_err().to_string();
        assert!(
            err.contains("style.toml:2:7") && err.contains("one-page"),
            "{err}"
        );
    }

    #[test]
    fn unknown_size_name_is_located() {
        let (_d, lib) = user("[checklist]\n\nbody_size = \"大四\"\n");
        let err = load(&lib).unwrap_err().to_string();
        assert!(err.contains("style.toml:3:13"), "{err}");
        assert!(
            err.contains("unknown size \"大四\"") && err.contains("小四"),
            "{err}"
        );
    }
}
