//! Turns a [`PacketPlan`] into document markup text, one per document of the packet, with
//! Tera. Templates come from the [`Library`] (built-ins with user overrides); every value
//! from company data is escaped at the single point where it enters the text (the Tera
//! escape function), so a company name is always text, never markup.

mod amount;
mod context;
mod errors;
mod filters;
mod markup_errors;

pub use context::{context_for, Lang};
pub use filters::zh_date as filters_zh_date;
pub use markup_errors::{located_diagnostic, markup_diagnostic};

use std::path::PathBuf;

use tera::Tera;

use crate::diag::{Diagnostic, Diagnostics};
use crate::document::DocumentKind;
use crate::library::{Library, BUILTIN_PREFIX};
use crate::plan::PacketPlan;
use errors::{error_chain, quoted_template_name, tera_diagnostic};

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

/// What `Tera::add_raw_templates` does, with the parsing (Tera's slowest step: about 2,000
/// instructions a byte) spread over the cores, since a single `generate` waits for it.
/// Errors read as Tera's own, so they are located the same way.
fn add_in_parallel(tera: &mut Tera, sources: &[(String, String)]) -> tera::Result<()> {
    use rayon::prelude::*;
    let parsed: Vec<tera::Result<tera::Template>> = sources
        .par_iter()
        .map(|(name, text)| {
            tera::Template::new(name, None, text)
                .map_err(|e| tera::Error::chain(format!("Failed to parse '{name}'"), e))
        })
        .collect();
    for template in parsed {
        let template = template?;
        tera.templates.insert(template.name.clone(), template);
    }
    tera.build_inheritance_chains()?;
    tera.check_macro_files()
}

impl Templates {
    /// Compiles every `documents/**.tera` file of `library`; built-ins stay reachable as
    /// `builtin:NAME`. Every template that does not compile is reported, not only the first.
    pub fn new(library: &Library) -> Result<Templates, Diagnostics> {
        let mut sources: Vec<(String, String)> = library
            .files_under("documents/")
            .map(|f| (f.name.clone(), f.text.clone()))
            .collect();
        // Compiling costs about a millisecond a template, so the `builtin:` copies are
        // compiled only when a file of the library names one.
        let names_builtin = |prefix| {
            library
                .files_under(prefix)
                .any(|f| f.text.contains(BUILTIN_PREFIX))
        };
        if names_builtin("documents/") || names_builtin("catalog/") {
            sources.extend(
                library
                    .builtin_files()
                    .filter(|f| f.name.starts_with("documents/"))
                    .map(|f| (format!("{BUILTIN_PREFIX}{}", f.name), f.text.clone())),
            );
        }
        let mut diags = Vec::new();
        // Tera stops at the first bad template: drop the culprit and compile again, so one
        // run names every broken file. Each round parses a dozen small files.
        loop {
            let mut tera = Tera::default();
            tera.autoescape_on(vec![MARKUP_SUFFIX]);
            tera.set_escape_fn(crate::document::escape_text);
            filters::register(&mut tera);
            let err = match add_in_parallel(&mut tera, &sources) {
                Ok(()) if diags.is_empty() => {
                    return Ok(Templates {
                        tera,
                        library: library.clone(),
                    })
                }
                Ok(()) => return Err(Diagnostics(diags)),
                Err(err) => err,
            };
            diags.push(tera_diagnostic(library, &err, None));
            let culprit = quoted_template_name(&error_chain(&err))
                .and_then(|name| sources.iter().position(|(n, _)| *n == name));
            match culprit {
                Some(i) => {
                    sources.remove(i);
                }
                None => return Err(Diagnostics(diags)),
            }
        }
    }

    /// Renders the checklist and every letter of `plan`; the first error stops.
    pub fn render(
        &self,
        plan: &PacketPlan,
        lang: Lang,
    ) -> Result<Vec<RenderedDocument>, Diagnostics> {
        self.render_each(plan, lang)
            .into_iter()
            .map(|r| r.map_err(|d| Diagnostics(vec![d])))
            .collect()
    }

    /// Renders every document of `plan`, each with its own result (for `templates check`,
    /// which reports every broken document at once).
    pub fn render_each(
        &self,
        plan: &PacketPlan,
        lang: Lang,
    ) -> Vec<Result<RenderedDocument, Diagnostic>> {
        let mut ctx = context_for(plan, lang);
        let mut docs = Vec::with_capacity(plan.letters.len() + 1);
        let checklist_title = lang.pick(&plan.procedure.name.zh, &plan.procedure.name.en);
        let title = match lang {
            Lang::En => format!("Checklist: {checklist_title}"),
            _ => format!("{checklist_title}材料清单"),
        };
        docs.push(self.render_one(CHECKLIST_TEMPLATE, title, DocumentKind::Checklist, &ctx));
        for letter in &plan.letters {
            ctx.insert("letter", &context::letter(letter));
            let title = lang.pick(&letter.title.zh, &letter.title.en).to_string();
            docs.push(self.render_one(&letter.template, title, DocumentKind::Letter, &ctx));
        }
        docs
    }

    fn render_one(
        &self,
        name: &str,
        title: String,
        kind: DocumentKind,
        ctx: &tera::Context,
    ) -> Result<RenderedDocument, Diagnostic> {
        if !self.tera.get_template_names().any(|n| n == name) {
            return Err(Diagnostic::new(
                self.path_of(name),
                format!("template `{name}` does not exist"),
            )
            .hint("add the file to your template directory, or fix the letter's `template` in catalog/letters.toml"));
        }
        let text = self
            .tera
            .render(name, ctx)
            .map_err(|e| tera_diagnostic(&self.library, &e, Some(ctx)))?;
        Ok(RenderedDocument {
            template: name.to_string(),
            title,
            kind,
            text,
        })
    }

    /// The library the templates were compiled from.
    pub fn library(&self) -> &Library {
        &self.library
    }

    /// Where the template `name` came from, for messages.
    pub fn path_of(&self, name: &str) -> PathBuf {
        self.library
            .get(name)
            .map_or_else(|| PathBuf::from(name), |f| f.display_path())
    }
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
