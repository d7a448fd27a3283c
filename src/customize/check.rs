//! Turns a user template directory into every problem it has: catalog files that do not
//! parse or cross-check, templates that do not compile, letters whose template is missing,
//! and — rendering every document of every sample company in every language — runtime
//! template errors, markup errors and characters no font covers. Everything is collected;
//! nothing stops at the first problem.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use include_dir::{include_dir, Dir};

use crate::catalog::Catalog;
use crate::diag::{line_col, Diagnostic};
use crate::document::{self, Packet};
use crate::library::Library;
use crate::packet::{meta, Engine, EngineError};
use crate::plan::{plan, Selection};
use crate::templates::{located_diagnostic, markup_diagnostic, Lang, Templates};

static SAMPLES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/samples");

/// "Today" for rendering samples: the date the samples are written for.
pub const CHECK_DATE: &str = "2026-11-25";

/// A company file to render the templates against.
#[derive(Debug, Clone)]
pub struct Sample {
    pub path: PathBuf,
    pub text: String,
}

/// What a check found and covered.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Every problem, in the order found, without duplicates.
    pub problems: Vec<Diagnostic>,
    /// Documents rendered, parsed and laid out.
    pub documents: usize,
    /// Catalog procedures no sample exercised (their letters were not rendered).
    pub unexercised: Vec<String>,
}

/// The sample companies built into the binary (`samples/*.toml`).
pub fn builtin_samples() -> Vec<Sample> {
    let mut out: Vec<Sample> = SAMPLES
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "toml"))
        .map(|f| Sample {
            path: PathBuf::from("<built-in>/samples").join(f.path()),
            text: String::from_utf8_lossy(f.contents()).into_owned(),
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// Checks the built-ins with `dir` layered over them, rendering against `samples`.
pub fn check(dir: &Path, samples: &[Sample]) -> CheckReport {
    let mut report = CheckReport::default();
    let library = match Library::with_user_dir(dir) {
        Ok(l) => l,
        Err(e) => {
            report.push(Diagnostic::new(dir, e.to_string()));
            return report;
        }
    };
    let catalog = crate::catalog::load(&library);
    let templates = Templates::new(&library);
    if let Err(diags) = &catalog {
        diags.0.iter().for_each(|d| report.push(d.clone()));
    }
    if let Err(diags) = &templates {
        diags.0.iter().for_each(|d| report.push(d.clone()));
    }
    let styles = crate::stylesheet::load(&library);
    if let Err(diags) = &styles {
        diags.0.iter().for_each(|d| report.push(d.clone()));
    }
    if catalog.is_err() || templates.is_err() || styles.is_err() {
        return report;
    }
    if let Ok(catalog) = &catalog {
        // Reported, but the samples are still rendered: only packets using the letter fail.
        missing_letter_templates(&library, catalog, &mut report);
    }
    match Engine::from_library(library) {
        Ok(engine) => render_samples(&engine, samples, &mut report),
        Err(EngineError::Invalid(diags)) => diags.0.into_iter().for_each(|d| report.push(d)),
        Err(e) => report.push(Diagnostic::new(dir, e.to_string())),
    }
    report
}

impl CheckReport {
    fn push(&mut self, d: Diagnostic) {
        if !self.problems.contains(&d) {
            self.problems.push(d);
        }
    }
}

/// A letter of `letters.toml` whose template file is in neither the user directory nor the
/// built-ins.
fn missing_letter_templates(library: &Library, catalog: &Catalog, report: &mut CheckReport) {
    let Some(file) = library.get("catalog/letters.toml") else {
        return;
    };
    for letter in &catalog.letters {
        if library.get(&letter.template).is_some() {
            continue;
        }
        let needle = format!("\"{}\"", letter.template);
        let (line, column) = file
            .text
            .find(&needle)
            .map_or((0, 0), |at| line_col(&file.text, at));
        let near = library
            .files_under("documents/")
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>();
        let hint = match crate::diag::did_you_mean(&letter.template, near) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("create {} in your template directory", letter.template),
        };
        report.push(
            Diagnostic::new(
                file.display_path(),
                format!(
                    "letter `{}` uses the template `{}`, which does not exist",
                    letter.id, letter.template
                ),
            )
            .at(line, column)
            .field(format!("letter[{}].template", letter.id))
            .hint(hint),
        );
    }
}

fn render_samples(engine: &Engine, samples: &[Sample], report: &mut CheckReport) {
    let today = NaiveDate::parse_from_str(CHECK_DATE, "%Y-%m-%d").unwrap_or_default();
    let mut exercised = BTreeSet::new();
    for sample in samples {
        let company = match crate::company::parse(&sample.text, &sample.path, &engine.catalog) {
            Ok(c) => c,
            Err(diags) => {
                diags.0.into_iter().for_each(|d| report.push(d));
                continue;
            }
        };
        let plans = match plan(&company, &engine.catalog, today, &Selection::default()) {
            Ok(p) => p,
            Err(e) => {
                report.push(Diagnostic::new(&sample.path, e.to_string()));
                continue;
            }
        };
        for p in &plans {
            exercised.insert(p.procedure.id.clone());
            for lang in [Lang::Bilingual, Lang::Zh, Lang::En] {
                render_plan(engine, p, lang, report);
            }
        }
    }
    report.unexercised = engine
        .catalog
        .procedures
        .iter()
        .filter(|p| !exercised.contains(&p.id))
        .map(|p| p.id.clone())
        .collect();
}

/// What the DOCX renderer cannot express, at the template line that wrote it.
fn docx_diagnostic(
    templates: &Templates,
    rendered: &crate::templates::RenderedDocument,
    e: &crate::docx::Unsupported,
) -> Diagnostic {
    let line = rendered
        .text
        .lines()
        .position(|l| !e.near.is_empty() && l.contains(&e.near))
        .map_or(0, |i| i + 1);
    located_diagnostic(
        templates,
        rendered,
        (line, 1),
        e.to_string(),
        "every packet can also be written as DOCX: keep lists within nine levels and tables \
         within 63 columns"
            .into(),
    )
}

/// Renders, parses and lays out one packet, reporting every document's problem.
fn render_plan(
    engine: &Engine,
    plan: &crate::plan::PacketPlan,
    lang: Lang,
    report: &mut CheckReport,
) {
    let templates = engine.templates();
    let mut documents = Vec::new();
    for rendered in templates.render_each(plan, lang) {
        let rendered = match rendered {
            Ok(r) => r,
            Err(d) => {
                report.push(d);
                continue;
            }
        };
        match document::parse(&rendered.text, &rendered.title, rendered.kind) {
            Ok(doc) => {
                if let Err(e) = crate::docx::check(&doc) {
                    report.push(docx_diagnostic(templates, &rendered, &e));
                }
                documents.push(doc)
            }
            Err(e) => report.push(markup_diagnostic(templates, &rendered, &e)),
        }
    }
    if documents.len() != plan.letters.len() + 1 {
        return;
    }
    report.documents += documents.len();
    let packet = Packet {
        meta: meta(plan, lang, engine.agency()),
        documents,
    };
    if let Err(e) = engine.write_packet(&packet) {
        let what = format!(
            "{} packet of {}",
            plan.procedure.id,
            plan.company.source.display()
        );
        report.push(
            Diagnostic::new(&plan.company.source, format!("{what}: {e}"))
                .hint("a template or catalog text uses a character the fonts lack, or the layout failed; configure a font that has it"),
        );
    }
    // What `check` above located is not repeated; anything else the DOCX writer refuses is.
    if let Err(crate::docx::DocxError::Package(e)) = crate::docx::write(&packet, engine.styles()) {
        report.push(Diagnostic::new(&plan.company.source, e.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_templates_pass_their_own_check() {
        let dir = tempfile::tempdir().unwrap();
        let report = check(dir.path(), &builtin_samples());
        // The catalog may list a letter whose template is still being written (reported as
        // such); nothing else may be wrong with the built-ins.
        let other: Vec<_> = report
            .problems
            .iter()
            .filter(|d| !d.message.contains("which does not exist"))
            .collect();
        assert!(other.is_empty(), "{other:?}");
        assert!(report.documents > 10);
    }
}
