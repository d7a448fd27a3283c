//! Turns a [`PacketPlan`] into document markup text, one per document of the packet, with
//! Tera. Templates come from the [`Library`] (built-ins with user overrides); every value
//! from company data is escaped at the single point where it enters the text (the Tera
//! escape function), so a company name is always text, never markup.

mod context;
mod filters;

pub use context::{context_for, Lang};

use std::path::PathBuf;

use tera::Tera;

use crate::diag::{Diagnostic, Diagnostics};
use crate::document::DocumentKind;
use crate::library::{Library, BUILTIN_PREFIX};
use crate::plan::PacketPlan;

/// Templates whose output is document markup: auto-escaped with [`crate::document::escape_text`].
const MARKUP_SUFFIX: &str = ".md.tera";
/// The checklist template (one per packet).
pub const CHECKLIST_TEMPLATE: &str = "documents/checklist.md.tera";

/// The compiled templates of a library.
pub struct Templates {
    tera: Tera,
    library: Library,
}

/// One rendered document, before parsing.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedDocument {
    pub template: String,
    pub title: String,
    pub kind: DocumentKind,
    pub text: String,
}

impl Templates {
    /// Compiles every `documents/**.tera` file of `library`; built-ins stay reachable as
    /// `builtin:NAME`.
    pub fn new(library: &Library) -> Result<Templates, Diagnostics> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![MARKUP_SUFFIX]);
        tera.set_escape_fn(crate::document::escape_text);
        filters::register(&mut tera);
        let mut sources: Vec<(String, String)> = library
            .files_under("documents/")
            .map(|f| (f.name.clone(), f.text.clone()))
            .collect();
        sources.extend(
            library
                .builtin_files()
                .filter(|f| f.name.starts_with("documents/"))
                .map(|f| (format!("{BUILTIN_PREFIX}{}", f.name), f.text.clone())),
        );
        tera.add_raw_templates(sources)
            .map_err(|e| Diagnostics(vec![tera_diagnostic(library, &e)]))?;
        Ok(Templates {
            tera,
            library: library.clone(),
        })
    }

    /// Renders the checklist and every letter of `plan`.
    pub fn render(
        &self,
        plan: &PacketPlan,
        lang: Lang,
    ) -> Result<Vec<RenderedDocument>, Diagnostics> {
        let mut ctx = context_for(plan, lang);
        let mut docs = Vec::with_capacity(plan.letters.len() + 1);
        let checklist_title = lang.pick(&plan.procedure.name.zh, &plan.procedure.name.en);
        let title = match lang {
            Lang::En => format!("Checklist: {checklist_title}"),
            _ => format!("{checklist_title}材料清单"),
        };
        docs.push(self.render_one(CHECKLIST_TEMPLATE, title, DocumentKind::Checklist, &ctx)?);
        for letter in &plan.letters {
            ctx.insert("letter", &context::letter(letter));
            let title = lang.pick(&letter.title.zh, &letter.title.en).to_string();
            docs.push(self.render_one(&letter.template, title, DocumentKind::Letter, &ctx)?);
        }
        Ok(docs)
    }

    fn render_one(
        &self,
        name: &str,
        title: String,
        kind: DocumentKind,
        ctx: &tera::Context,
    ) -> Result<RenderedDocument, Diagnostics> {
        let text = self
            .tera
            .render(name, ctx)
            .map_err(|e| Diagnostics(vec![tera_diagnostic(&self.library, &e)]))?;
        Ok(RenderedDocument {
            template: name.to_string(),
            title,
            kind,
            text,
        })
    }

    /// Where the template `name` came from, for messages.
    pub fn path_of(&self, name: &str) -> PathBuf {
        self.library
            .get(name)
            .map_or_else(|| PathBuf::from(name), |f| f.display_path())
    }
}

/// Turns a Tera error (whose chain holds the template name and, for syntax errors, the line)
/// into a located diagnostic.
fn tera_diagnostic(library: &Library, err: &tera::Error) -> Diagnostic {
    let chain = error_chain(err);
    let template = quoted_template_name(&chain);
    let file = template
        .as_deref()
        .and_then(|t| library.get(t))
        .map_or_else(
            || PathBuf::from(template.clone().unwrap_or_else(|| "<templates>".into())),
            |f| f.display_path(),
        );
    let (line, column) = line_col_in(&chain).unwrap_or((0, 0));
    Diagnostic::new(file, chain.replace('\n', " ").trim().to_string())
        .at(line, column)
        .hint("check the template syntax and variable names (templates/README.md lists the variables)")
}

fn error_chain(err: &tera::Error) -> String {
    let mut out = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

fn quoted_template_name(chain: &str) -> Option<String> {
    let start = chain.find('\'')? + 1;
    let end = start + chain[start..].find('\'')?;
    Some(chain[start..end].to_string())
}

/// Tera's pest errors read ` --> 3:5`.
fn line_col_in(chain: &str) -> Option<(usize, usize)> {
    let at = chain.find("--> ")? + 4;
    let rest = &chain[at..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':'))
        .unwrap_or(rest.len());
    let (l, c) = rest[..end].split_once(':')?;
    Some((l.parse().ok()?, c.parse().ok()?))
}
