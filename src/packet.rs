//! Turns one planned packet into PDF bytes by running the later stages in order:
//! templates → document → layout → pdf. Also checks, before any work, that every character
//! of the company's text has a glyph, so the error can name the field it came from; a
//! character the packet's fonts lack is taken from an installed font when one has it, and
//! the checklist says which.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::RwLock;

use crate::agency::Agency;
use crate::catalog::Catalog;
use crate::company::Company;
use crate::diag::{Diagnostic, Diagnostics};
use crate::document::{self, Brand, FooterLang, Packet, PacketMeta};
use crate::fonts::FontBook;
use crate::layout::{self, LayoutError};
use crate::library::{Library, LibraryError};
use crate::pdf::{self, PdfError};
use crate::plan::PacketPlan;
use crate::stylesheet::Styles;
use crate::templates::{Lang, Templates};

/// The expensive, shared environment: catalog, compiled templates, parsed fonts. Built once
/// per process and shared by every packet (also across threads).
pub struct Engine {
    pub catalog: Catalog,
    pub library: Library,
    templates: Templates,
    /// The configured faces (built-in, style.toml or the agency's).
    fonts: &'static FontBook,
    /// The configured faces with the installed ones that draw the rare characters of the
    /// companies loaded so far (none until one has such a character).
    with_system: RwLock<Option<SystemFaces>>,
    /// Branding printed on every page; none without an agency file.
    agency: Option<Agency>,
    styles: Styles,
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Library(#[from] LibraryError),
    #[error("{0}")]
    Invalid(Diagnostics),
}

#[derive(Debug, thiserror::Error)]
pub enum PacketError {
    #[error("{0}")]
    Template(Diagnostics),
    /// The rendered markup is invalid; located in the template where possible.
    #[error("{0}")]
    Markup(Diagnostic),
    #[error("{0}")]
    Layout(#[from] LayoutError),
    #[error(transparent)]
    Pdf(#[from] PdfError),
    #[error(transparent)]
    Docx(#[from] crate::docx::DocxError),
}

/// Characters the configured faces lack, and the book that draws them too.
struct SystemFaces {
    chars: BTreeSet<char>,
    book: &'static FontBook,
}

/// The built-in templates compile lazily, the checklist (which every packet has) now and
/// each letter on first use; a user's directory compiles whole, so its every broken file is
/// reported before a packet is written.
fn templates_for(library: &Library) -> Result<Templates, Diagnostics> {
    if library.is_customised() {
        return Templates::new(library);
    }
    let templates = Templates::lazy(library);
    templates
        .prepare([crate::templates::CHECKLIST_TEMPLATE])
        .map_err(|d| Diagnostics(vec![d]))?;
    Ok(templates)
}

/// A finished packet.
#[derive(Debug, Clone)]
pub struct BuiltPacket {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// `B2-20210001-renewal`.
    pub file_stem: String,
}

impl Engine {
    /// The built-in templates and catalog, with `user_dir` layered over them if given.
    pub fn new(user_dir: Option<&Path>) -> Result<Engine, EngineError> {
        let library = match user_dir {
            Some(dir) => Library::with_user_dir(dir)?,
            None => Library::builtin(),
        };
        Engine::from_library(library)
    }

    /// The engine for an already assembled library.
    pub fn from_library(library: Library) -> Result<Engine, EngineError> {
        // Independent, and each takes tens of milliseconds: on two cores a single
        // `generate` starts its first packet sooner when they load side by side.
        let (catalog, templates) = std::thread::scope(|scope| {
            let templates = scope.spawn(|| templates_for(&library));
            let catalog = crate::catalog::load(&library);
            let templates = templates
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (catalog, templates)
        });
        let catalog = catalog.map_err(EngineError::Invalid)?;
        let templates = templates.map_err(EngineError::Invalid)?;
        let styles = crate::stylesheet::load(&library).map_err(EngineError::Invalid)?;
        let fonts = match &styles.fonts {
            None => FontBook::builtin(),
            Some(config) => FontBook::configured(config).map_err(|e| {
                let (file, line) = crate::stylesheet::fonts_line(&library);
                EngineError::Invalid(Diagnostics(vec![Diagnostic::new(file, e.to_string())
                    .at(line, 1)
                    .field("fonts")
                    .hint("give the path of a TTF, OTF or TTC file (\"file.ttc#1\" for the second face), relative to style.toml")]))
            })?,
        };
        Ok(Engine {
            catalog,
            library,
            templates,
            fonts,
            with_system: RwLock::new(None),
            agency: None,
            styles,
        })
    }

    /// Reads the agency file at `path` and prints its branding on every page from now on.
    pub fn load_agency(&mut self, path: &Path) -> Result<(), Diagnostics> {
        let agency = crate::agency::load(path, self.fonts)?;
        if let Some(fonts) = agency.fonts {
            self.fonts = fonts;
            // Characters already taken from the machine are looked up again beside the new faces.
            let chars = self.system_chars();
            let slot = self
                .with_system
                .get_mut()
                .unwrap_or_else(|e| e.into_inner());
            *slot = None;
            if !chars.is_empty() {
                let (book, _) = fonts.with_system_faces(&chars);
                *slot = Some(SystemFaces { chars, book });
            }
        }
        self.agency = Some(agency);
        Ok(())
    }

    pub fn agency(&self) -> Option<&Agency> {
        self.agency.as_ref()
    }

    /// Loads and validates a company file, including glyph coverage of its text: a
    /// character the configured faces lack is drawn from an installed font from now on.
    pub fn load_company(&self, path: &Path) -> Result<Company, Diagnostics> {
        let company = crate::company::load(path, &self.catalog)?;
        let rare = rare_chars(&company, self.fonts);
        if rare.is_empty() {
            return Ok(company);
        }
        let mut chars = self.system_chars();
        chars.extend(rare.iter().copied());
        let (book, missing) = self.fonts.with_system_faces(&chars);
        let problems = uncovered_fields(&company, |ch| missing.contains(&ch));
        if !problems.is_empty() {
            return Err(Diagnostics(problems));
        }
        let mut slot = self.with_system.write().unwrap_or_else(|e| e.into_inner());
        // Another thread may have added characters meanwhile: the larger set wins.
        if slot.as_ref().is_none_or(|s| s.chars.len() < chars.len()) {
            *slot = Some(SystemFaces { chars, book });
        }
        Ok(company)
    }

    /// The characters drawn from installed fonts so far.
    fn system_chars(&self) -> BTreeSet<char> {
        let slot = self.with_system.read().unwrap_or_else(|e| e.into_inner());
        slot.as_ref().map(|s| s.chars.clone()).unwrap_or_default()
    }

    /// Renders, parses, lays out and writes one packet.
    pub fn build(&self, plan: &PacketPlan, lang: Lang) -> Result<BuiltPacket, PacketError> {
        let (bytes, pages) = self.write_pdf(&self.compose(plan, lang)?)?;
        Ok(BuiltPacket {
            bytes,
            pages,
            file_stem: plan.file_stem.clone(),
        })
    }

    /// Renders the templates of `plan` and parses them into documents.
    pub fn compose(&self, plan: &PacketPlan, lang: Lang) -> Result<Packet, PacketError> {
        let noted;
        let plan = match self.system_font_note(plan) {
            Some(note) => {
                noted = PacketPlan {
                    warnings: [plan.warnings.clone(), vec![note]].concat(),
                    ..plan.clone()
                };
                &noted
            }
            None => plan,
        };
        let rendered = self
            .templates
            .render(plan, lang)
            .map_err(PacketError::Template)?;
        let documents = rendered
            .into_iter()
            .map(|r| {
                document::parse(&r.text, &r.title, r.kind).map_err(|e| {
                    PacketError::Markup(crate::templates::markup_diagnostic(
                        &self.templates,
                        &r,
                        &e,
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Packet {
            meta: meta(plan, lang, self.agency.as_ref()),
            documents,
        })
    }

    /// Composes and lays out `plan` (for tests and tools that inspect positions).
    pub fn lay_out(
        &self,
        plan: &PacketPlan,
        lang: Lang,
    ) -> Result<(Packet, layout::LaidOutPacket), PacketError> {
        let packet = self.compose(plan, lang)?;
        let laid_out = self.lay_out_packet(&packet)?;
        Ok((packet, laid_out))
    }

    /// Lays out and writes a packet built in code (e.g. a batch summary).
    pub fn write_packet(&self, packet: &Packet) -> Result<Vec<u8>, PacketError> {
        self.write_pdf(packet).map(|(bytes, _)| bytes)
    }

    /// Lays out `packet` and writes it as PDF: the bytes and the number of pages.
    pub fn write_pdf(&self, packet: &Packet) -> Result<(Vec<u8>, usize), PacketError> {
        let laid_out = self.lay_out_packet(packet)?;
        let bytes = pdf::write(&laid_out, &packet.meta, self.fonts())?;
        Ok((bytes, laid_out.pages.len()))
    }

    /// Lays out `packet` in the library's styles.
    pub fn lay_out_packet(&self, packet: &Packet) -> Result<layout::LaidOutPacket, LayoutError> {
        let language = layout::Language::of_packet(&packet.meta.lang);
        layout::layout_with(packet, self.fonts(), &|kind| {
            self.styles.for_document(kind, language)
        })
    }

    /// The compiled templates.
    pub fn templates(&self) -> &Templates {
        &self.templates
    }

    /// The faces packets are drawn with: the configured ones, and the installed ones for
    /// the rare characters of the companies loaded so far. A system face never draws a
    /// character a configured face has, so a packet without rare characters is the same
    /// whichever companies came before it.
    pub fn fonts(&self) -> &'static FontBook {
        let slot = self.with_system.read().unwrap_or_else(|e| e.into_inner());
        slot.as_ref().map_or(self.fonts, |s| s.book)
    }

    /// The checklist's note naming the installed fonts that supply characters of `plan`'s
    /// company, when some do.
    fn system_font_note(&self, plan: &PacketPlan) -> Option<crate::catalog::Text> {
        let rare = rare_chars(plan.company, self.fonts);
        if rare.is_empty() {
            return None;
        }
        let supply = self.fonts().system_supply(&rare);
        let listed = |from: &str, and: &str| {
            supply
                .iter()
                .map(|(face, chars)| {
                    let chars: Vec<String> = chars
                        .iter()
                        .map(|ch| format!("{ch} (U+{:04X})", u32::from(*ch)))
                        .collect();
                    format!("{}{from}{face}", chars.join(", "))
                })
                .collect::<Vec<_>>()
                .join(and)
        };
        Some(crate::catalog::Text {
            zh: format!(
                "以下字符排版字体中没有，取自本机安装的字体：{}。请与营业执照核对字形。",
                listed(" 取自 ", "；")
            ),
            en: format!(
                "Characters the packet's fonts lack are set from fonts installed on this machine: {}. Check their shapes against the business licence.",
                listed(" from ", "; ")
            ),
        })
    }

    /// The library's styles (both renderers take their sizes and margins from them).
    pub fn styles(&self) -> &Styles {
        &self.styles
    }
}

/// The PDF metadata and running header of `plan`'s packet.
pub fn meta(plan: &PacketPlan, lang: Lang, agency: Option<&Agency>) -> PacketMeta {
    let c = &plan.company.info;
    let procedure = lang.pick(&plan.procedure.name.zh, &plan.procedure.name.en);
    let name = lang.pick(&c.name, plan.company.name_en());
    PacketMeta {
        title: format!("{name} — {procedure} — {}", plan.license.number),
        author: agency.map_or_else(|| c.name.clone(), |a| a.name.clone()),
        subject: format!("{} / {}", plan.procedure.name.zh, plan.procedure.name.en),
        keywords: vec![
            plan.license.number.clone(),
            plan.procedure.id.clone(),
            c.uscc.clone(),
        ],
        lang: if lang == Lang::En {
            "en".into()
        } else {
            "zh-CN".into()
        },
        date: plan.today,
        header: format!("{name} · {} · {procedure}", plan.license.number),
        footer_lang: match lang {
            Lang::Bilingual => FooterLang::Bilingual,
            Lang::Zh => FooterLang::Zh,
            Lang::En => FooterLang::En,
        },
        brand: agency.map(|a| brand(a, lang)),
    }
}

/// The agency's header line, logo and accent colour for pages in `lang`.
pub fn brand(agency: &Agency, lang: Lang) -> Brand {
    Brand {
        line: agency.line(lang.show_zh(), lang.show_en()),
        logo: agency.logo.clone(),
        accent: agency.accent,
    }
}

/// The characters of the company's text that `fonts` lacks.
fn rare_chars(company: &Company, fonts: &FontBook) -> BTreeSet<char> {
    text_fields(company)
        .iter()
        .flat_map(|(_, value)| fonts.uncovered(value).collect::<Vec<_>>())
        .collect()
}

/// Every text field of the company with a character no font has (`unprintable`).
fn uncovered_fields(company: &Company, unprintable: impl Fn(char) -> bool) -> Vec<Diagnostic> {
    let found: Vec<(String, String, char)> = text_fields(company)
        .into_iter()
        .filter_map(|(field, value)| {
            let ch = value.chars().find(|ch| unprintable(*ch))?;
            Some((field, value, ch))
        })
        .collect();
    if found.is_empty() {
        return Vec::new();
    }
    // The validated company keeps no spans, so the rare failing case reads the file again to
    // point at the character.
    let text = std::fs::read_to_string(&company.source).unwrap_or_default();
    found
        .into_iter()
        .map(|(field, value, ch)| {
            let diagnostic = Diagnostic::new(&company.source, format!(
                "character {ch:?} (U+{:04X}) has no glyph in the fonts, nor in any font installed on this machine, so it cannot be printed",
                ch as u32
            ))
            .field(field)
            .hint("replace it with a standard character (GB 2312 / 通用规范汉字表), or install or configure a font that has it");
            match locate(&text, &value, ch) {
                Some((line, column)) => diagnostic.at(line, column),
                None => diagnostic,
            }
        })
        .collect()
}

/// Line and column of `ch` within `value` in the company file: the value as a quoted string,
/// else anywhere. A value written with escapes (`\"`, `\u…`) is not found, and then no
/// position is given rather than a guessed one.
fn locate(text: &str, value: &str, ch: char) -> Option<(usize, usize)> {
    let within = |at: usize, skip: usize| value.find(ch).map(|i| at + skip + i);
    let offset = text
        .find(&format!("\"{value}\""))
        .and_then(|at| within(at, 1))
        .or_else(|| text.find(value).and_then(|at| within(at, 0)))?;
    Some(crate::diag::line_col(text, offset))
}

fn text_fields(company: &Company) -> Vec<(String, String)> {
    let c = &company.info;
    let mut out = vec![
        ("company.name".to_string(), c.name.clone()),
        ("company.legal_rep".into(), c.legal_rep.clone()),
        ("company.address".into(), c.address.clone()),
    ];
    let optional = [
        ("company.name_en", &c.name_en),
        ("company.legal_rep_en", &c.legal_rep_en),
        ("company.address_en", &c.address_en),
    ];
    out.extend(
        optional
            .iter()
            .filter_map(|(f, v)| v.as_ref().map(|v| (f.to_string(), v.clone()))),
    );
    if let Some(contact) = &c.contact {
        out.push(("company.contact.name".into(), contact.name.clone()));
        out.extend(
            contact
                .phone
                .iter()
                .map(|p| ("company.contact.phone".to_string(), p.clone())),
        );
        out.extend(
            contact
                .email
                .iter()
                .map(|e| ("company.contact.email".to_string(), e.clone())),
        );
    }
    for (i, p) in company.procedures.iter().enumerate() {
        if let Some(prev) = &p.previous_legal_rep {
            out.push((format!("procedure[{i}].previous_legal_rep"), prev.clone()));
        }
    }
    for (id, status) in &company.materials {
        if let Some(note) = &status.note {
            out.push((format!("materials.{id}.note"), note.clone()));
        }
    }
    out
}
