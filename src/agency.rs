//! Turns an agency's `agency.toml` (name, contact line, logo, accent colour) into the
//! branding printed on every page of the packets it produces. Paths in the file are relative
//! to it. Everything is optional but the name; without an agency file nothing is printed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::diag::{line_col, Diagnostic, Diagnostics};
use crate::fonts::FontBook;
use crate::image::Image;
use crate::stylesheet::FontsSection;
use crate::units::Rgb;

/// The name `batch` looks for in its input folder.
pub const AGENCY_FILE: &str = "agency.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AgencyFile {
    name: String,
    #[serde(default)]
    name_en: Option<String>,
    #[serde(default)]
    contact: Option<String>,
    #[serde(default)]
    logo: Option<PathBuf>,
    #[serde(default)]
    accent: Option<String>,
    /// Same as style.toml's `[fonts]`, paths relative to the agency file; wins over it.
    #[serde(default)]
    fonts: Option<FontsSection>,
}

/// An agency's identity, ready for the page furniture.
#[derive(Debug, Clone)]
pub struct Agency {
    pub name: String,
    pub name_en: Option<String>,
    pub contact: Option<String>,
    pub logo: Option<Arc<Image>>,
    /// Colour of the header rule (default: the furniture grey).
    pub accent: Option<Rgb>,
    /// The agency's own fonts, when its file names some.
    pub fonts: Option<&'static FontBook>,
}

impl Agency {
    /// The line printed above the page number: names and contact, joined by " · ".
    pub fn line(&self, show_zh: bool, show_en: bool) -> String {
        let mut parts = Vec::new();
        if show_zh || self.name_en.is_none() {
            parts.push(self.name.as_str());
        }
        if let (true, Some(en)) = (show_en, &self.name_en) {
            parts.push(en);
        }
        if let Some(contact) = &self.contact {
            parts.push(contact);
        }
        parts.join(" · ")
    }
}

/// Reads `path`; every problem is located in it. Text must be printable with `fonts`.
pub fn load(path: &Path, fonts: &FontBook) -> Result<Agency, Diagnostics> {
    let one = |d: Diagnostic| Diagnostics(vec![d]);
    let text = std::fs::read_to_string(path).map_err(|e| {
        one(Diagnostic::new(
            path,
            format!("cannot read the agency file: {e}"),
        ))
    })?;
    let file: AgencyFile = toml::from_str(&text).map_err(|e| {
        let (line, column) = e.span().map_or((0, 0), |s| line_col(&text, s.start));
        one(Diagnostic::new(path, e.message().trim().to_string())
            .at(line, column)
            .hint("an agency file has name, and optionally name_en, contact, logo and accent"))
    })?;
    let at = |key: &str| {
        text.lines()
            .position(|l| {
                l.trim_start()
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
            })
            .map_or((0, 0), |i| (i + 1, 1))
    };
    let mut diags = Vec::new();
    let base = path.parent().unwrap_or(Path::new("."));
    let own_fonts = match &file.fonts {
        Some(section) => match FontBook::configured(&section.resolve(base)) {
            Ok(book) => Some(book),
            Err(e) => {
                let line = text
                    .lines()
                    .position(|l| l.trim() == "[fonts]")
                    .map_or(0, |i| i + 1);
                return Err(one(Diagnostic::new(path, e.to_string())
                    .at(line, 1)
                    .field("fonts")
                    .hint("give the path of a TTF, OTF or TTC file (\"file.ttc#1\" for the second face), relative to the agency file")));
            }
        },
        None => None,
    };
    let fonts = own_fonts.unwrap_or(fonts);
    let texts = [
        ("name", Some(&file.name)),
        ("name_en", file.name_en.as_ref()),
        ("contact", file.contact.as_ref()),
    ];
    for (field, value) in texts {
        let Some(ch) = value.and_then(|v| fonts.first_uncovered(v)) else {
            continue;
        };
        let (line, column) = at(field);
        diags.push(
            Diagnostic::new(
                path,
                format!(
                    "character {ch:?} (U+{:04X}) has no glyph in the fonts",
                    ch as u32
                ),
            )
            .at(line, column)
            .field(field)
            .hint("replace it, or configure a font that has it (style.toml [fonts])"),
        );
    }
    let accent = match &file.accent {
        Some(hex) => match Rgb::from_hex(hex) {
            Some(c) => Some(c),
            None => {
                let (line, column) = at("accent");
                diags.push(
                    Diagnostic::new(path, format!("\"{hex}\" is not a colour"))
                        .at(line, column)
                        .field("accent")
                        .hint("write it as \"#RRGGBB\", e.g. \"#C01F2E\""),
                );
                None
            }
        },
        None => None,
    };
    let logo = file.logo.as_ref().and_then(|rel| {
        let full = path.parent().unwrap_or(Path::new(".")).join(rel);
        let (line, column) = at("logo");
        let problem = |message: String| {
            Diagnostic::new(path, message)
                .at(line, column)
                .field("logo")
                .hint("give a PNG or JPEG file, relative to the agency file")
        };
        match std::fs::read(&full) {
            Ok(bytes) => match Image::decode(&bytes) {
                Ok(img) => Some(Arc::new(img)),
                Err(e) => {
                    diags.push(problem(format!("{}: {e}", full.display())));
                    None
                }
            },
            Err(e) => {
                diags.push(problem(format!(
                    "cannot read the logo {}: {e}",
                    full.display()
                )));
                None
            }
        }
    });
    if !diags.is_empty() {
        return Err(Diagnostics(diags));
    }
    Ok(Agency {
        name: file.name,
        name_en: file.name_en,
        contact: file.contact,
        logo,
        accent,
        fonts: own_fonts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, text: &str) -> PathBuf {
        let p = dir.join(AGENCY_FILE);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn loads_and_reports_located_problems() {
        let dir = tempfile::tempdir().unwrap();
        let ok = write(
            dir.path(),
            "name = \"合规通\"\nname_en = \"Heguitong\"\naccent = \"#C01F2E\"\n",
        );
        let agency = load(&ok, FontBook::builtin()).unwrap();
        assert_eq!(agency.accent, Some(Rgb(0xC0, 0x1F, 0x2E)));
        assert_eq!(agency.line(true, true), "合规通 · Heguitong");
        assert_eq!(agency.line(false, true), "Heguitong");
        let bad = write(
            dir.path(),
            "name = \"合规通😀\"\nlogo = \"nope.png\"\naccent = \"red\"\n",
        );
        let err = load(&bad, FontBook::builtin()).unwrap_err().to_string();
        assert!(err.contains(":1:1: error in field `name`"), "{err}");
        assert!(err.contains(":2:1: error in field `logo`"), "{err}");
        assert!(err.contains(":3:1: error in field `accent`"), "{err}");
        let typo = write(dir.path(), "name = \"x\"\nlogo_path = \"a.png\"\n");
        assert!(load(&typo, FontBook::builtin())
            .unwrap_err()
            .to_string()
            .contains(":2:1"));
    }
}
