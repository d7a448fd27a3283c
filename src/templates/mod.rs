//! Turns a [`PacketPlan`] into document markup text, one per document of the packet, with
//! Tera. Templates come from the [`Library`] (built-ins with user overrides); every value
//! from company data is escaped at the single point where it enters the text (the Tera
//! escape function), so a company name is always text, never markup.

mod context;
mod filters;

pub use context::{context_for, Lang};
pub use filters::zh_date as filters_zh_date;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{fixtures, plan, Selection};

    fn render_all(lang: Lang) -> Vec<RenderedDocument> {
        let catalog = fixtures::catalog();
        let company = fixtures::company();
        let templates = Templates::new(&Library::builtin()).unwrap();
        let plans = plan(
            &company,
            &catalog,
            fixtures::date("2026-11-25"),
            &Selection::default(),
        )
        .unwrap();
        plans
            .iter()
            .flat_map(|p| templates.render(p, lang).unwrap())
            .collect()
    }

    #[test]
    fn every_document_renders_in_every_language() {
        for lang in [Lang::Bilingual, Lang::Zh, Lang::En] {
            let docs = render_all(lang);
            assert_eq!(docs.len(), 3 + 1 + 2 + 1 + 2 + 1, "{lang:?}");
        }
    }

    #[test]
    fn data_is_escaped_and_markup_is_not() {
        let docs = render_all(Lang::Bilingual);
        let checklist = &docs[0].text;
        assert!(
            checklist.contains(r"北京\*云声\*科技有限公司"),
            "{checklist}"
        );
        assert!(checklist.contains(r"Beijing \<Yunsheng\> \& Co\. \[Ltd\]"));
        assert!(
            checklist.contains("<br><en>"),
            "macro output must not be escaped"
        );
        assert!(checklist.contains(r#"<check status="missing"/>"#));
        assert!(checklist.contains(r"due \| 12\-05 \*soon\*"));
    }

    #[test]
    fn checklist_lists_deadlines_and_letters() {
        let docs = render_all(Lang::Bilingual);
        let checklist = &docs[0].text;
        assert!(checklist.contains("2027年1月30日") && checklist.contains("30 Jan 2027"));
        assert!(checklist.contains("依法经营电信业务承诺书"));
        let lawful = docs
            .iter()
            .find(|d| d.template.ends_with("commitment-lawful.md.tera"))
            .unwrap();
        assert!(lawful.text.contains("工业和信息化部："));
        assert!(lawful.text.contains("<pagebreak/>"));
        assert!(lawful.text.contains("法定代表人（签字）："));
    }

    #[test]
    fn change_letter_names_old_and_new_representative() {
        let docs = render_all(Lang::Zh);
        let letter = docs
            .iter()
            .find(|d| d.template.ends_with("change-application.md.tera"))
            .unwrap();
        assert!(letter.text.contains("由王芳变更为张伟"), "{}", letter.text);
        assert!(letter.text.contains("2026年11月10日"));
    }

    #[test]
    fn rectification_report_has_a_section_per_reason() {
        let docs = render_all(Lang::Zh);
        let report = docs
            .iter()
            .find(|d| d.template.ends_with("rectification-report.md.tera"))
            .unwrap();
        assert!(report.text.contains("### （1）人员整改"), "{}", report.text);
        assert!(report.text.contains("补充人员"));
    }
}
#[cfg(test)]
mod dump {
    #[test]
    #[ignore = "prints a rendered checklist for eyeballing"]
    fn dump_checklist() {
        use super::*;
        use crate::plan::{fixtures, plan, Selection};
        let (catalog, company) = (fixtures::catalog(), fixtures::company());
        let templates = Templates::new(&Library::builtin()).unwrap();
        let plans = plan(
            &company,
            &catalog,
            fixtures::date("2026-11-25"),
            &Selection::default(),
        )
        .unwrap();
        for d in templates
            .render(&plans[0], Lang::Bilingual)
            .unwrap()
            .iter()
            .take(2)
        {
            println!("{}", d.text);
        }
    }
}
