//! Turns a [`PacketPlan`] into document markup text, one per document of the packet, with
//! Tera. Templates come from the [`Library`] (built-ins with user overrides); every value
//! from company data is escaped at the single point where it enters the text (the Tera
//! escape function), so a company name is always text, never markup.

mod amount;
#[allow(dead_code)] // encoding is for build.rs and the tests
mod codec;
mod context;
mod errors;
mod filters;
mod markup_errors;
mod needs;

pub use context::{context_for, Lang};
pub use filters::zh_date as filters_zh_date;
pub use markup_errors::{located_diagnostic, markup_diagnostic};

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{OnceLock, PoisonError, RwLock};

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

/// The templates of a library, compiled as packets need them.
///
/// Tera's parser costs about 2,000 instructions a byte, so compiling every template at start
/// was the largest part of a single `generate`. The built-in library is compiled lazily:
/// the checklist at start, each letter (with the templates it names) when a packet first
/// renders it. A user's template directory is compiled whole at start instead, so every
/// broken file is reported before any packet is written.
pub struct Templates {
    tera: RwLock<Tera>,
    /// Every template's text by name (`documents/...`, and `builtin:documents/...` when a
    /// file of the library names one).
    sources: BTreeMap<String, String>,
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

/// What `Tera::add_raw_templates` does, with the parsing spread over the cores, since a
/// single `generate` waits for it. Nothing is added unless every source parses and every
/// inheritance chain resolves. Errors read as Tera's own, so they are located the same way.
fn add_in_parallel(tera: &mut Tera, sources: &[(&str, &str)]) -> tera::Result<()> {
    use rayon::prelude::*;
    let parsed = sources
        .par_iter()
        .map(|(name, text)| {
            if let Some(template) = precompiled(name, text) {
                return Ok(template);
            }
            if let Some(at) = needs::too_deep_at(text) {
                let (line, column) = crate::diag::line_col(text, at);
                return Err(tera::Error::msg(format!(
                    "Failed to parse '{name}' --> {line}:{column} nested more than {} deep \
                     (blocks and brackets); split it into macros or smaller templates",
                    needs::MAX_NESTING
                )));
            }
            tera::Template::new(name, None, text)
                .map_err(|e| tera::Error::chain(format!("Failed to parse '{name}'"), e))
        })
        .collect::<tera::Result<Vec<tera::Template>>>()?;
    for template in parsed {
        tera.templates.insert(template.name.clone(), template);
    }
    let linked = tera
        .build_inheritance_chains()
        .and_then(|()| tera.check_macro_files());
    if linked.is_err() {
        for (name, _) in sources {
            tera.templates.remove(*name);
        }
    }
    linked
}

/// The built-in template `name` as `build.rs` parsed it, when `text` is still the source it
/// was parsed from (a user's file of the same name, or a stale build, is parsed afresh).
fn precompiled(name: &str, text: &str) -> Option<tera::Template> {
    static BUILT: OnceLock<HashMap<String, (u64, tera::Template)>> = OnceLock::new();
    let built = BUILT.get_or_init(|| {
        let bytes = include_bytes!(concat!(env!("OUT_DIR"), "/templates.bin"));
        codec::decode_all(bytes)
            .unwrap_or_default()
            .into_iter()
            .map(|(hash, t)| (t.name.clone(), (hash, t)))
            .collect()
    });
    let (hash, template) = built.get(name)?;
    (*hash == codec::source_hash(text)).then(|| template.clone())
}

/// A Tera with licpack's escaping and filters and no templates yet.
fn empty_tera() -> Tera {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![MARKUP_SUFFIX]);
    tera.set_escape_fn(crate::document::escape_text);
    filters::register(&mut tera);
    tera
}

/// Every `documents/**.tera` file of `library` by name; the `builtin:` copies only when a
/// file of the library names one, since each costs about a millisecond to compile.
fn sources_of(library: &Library) -> BTreeMap<String, String> {
    let mut sources: BTreeMap<String, String> = library
        .files_under("documents/")
        .map(|f| (f.name.clone(), f.text.clone()))
        .collect();
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
    sources
}

impl Templates {
    /// Compiles every `documents/**.tera` file of `library` now; built-ins stay reachable as
    /// `builtin:NAME`. Every template that does not compile is reported, not only the first.
    pub fn new(library: &Library) -> Result<Templates, Diagnostics> {
        let sources = sources_of(library);
        let mut remaining: Vec<(&str, &str)> = sources
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        let mut diags = Vec::new();
        // Tera stops at the first bad template: drop the culprit and compile again, so one
        // run names every broken file. Each round parses a dozen small files.
        loop {
            let mut tera = empty_tera();
            let err = match add_in_parallel(&mut tera, &remaining) {
                Ok(()) if diags.is_empty() => {
                    return Ok(Templates {
                        tera: RwLock::new(tera),
                        sources,
                        library: library.clone(),
                    })
                }
                Ok(()) => return Err(Diagnostics(diags)),
                Err(err) => err,
            };
            diags.push(tera_diagnostic(library, &err, None));
            let culprit = quoted_template_name(&error_chain(&err))
                .and_then(|name| remaining.iter().position(|(n, _)| *n == name));
            match culprit {
                Some(i) => {
                    remaining.remove(i);
                }
                None => return Err(Diagnostics(diags)),
            }
        }
    }

    /// The templates of `library` with none compiled yet: each is compiled, with what it
    /// names, when [`Templates::prepare`] or a render first needs it.
    pub fn lazy(library: &Library) -> Templates {
        Templates {
            tera: RwLock::new(empty_tera()),
            sources: sources_of(library),
            library: library.clone(),
        }
    }

    /// Compiles `roots` and the templates they name, those not compiled yet, side by side.
    pub fn prepare<'a>(&self, roots: impl IntoIterator<Item = &'a str>) -> Result<(), Diagnostic> {
        let needed = needs::closure(roots, &self.sources);
        let missing = |tera: &Tera| -> Vec<(&str, &str)> {
            needed
                .iter()
                .filter(|n| !tera.templates.contains_key(*n))
                .filter_map(|n| self.sources.get_key_value(n))
                .map(|(n, t)| (n.as_str(), t.as_str()))
                .collect()
        };
        if missing(&self.read()).is_empty() {
            return Ok(());
        }
        let mut tera = self.tera.write().unwrap_or_else(PoisonError::into_inner);
        // Another thread may have compiled them while this one waited for the lock.
        let missing = missing(&tera);
        if missing.is_empty() {
            return Ok(());
        }
        add_in_parallel(&mut tera, &missing).map_err(|e| tera_diagnostic(&self.library, &e, None))
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Tera> {
        self.tera.read().unwrap_or_else(PoisonError::into_inner)
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
        // All at once, so the letters parse side by side; a template that fails is
        // reported by its own document below.
        let names = std::iter::once(CHECKLIST_TEMPLATE)
            .chain(plan.letters.iter().map(|l| l.template.as_str()));
        let _ = self.prepare(names);
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
        if !self.sources.contains_key(name) {
            return Err(Diagnostic::new(
                self.path_of(name),
                format!("template `{name}` does not exist"),
            )
            .hint("add the file to your template directory, or fix the letter's `template` in catalog/letters.toml"));
        }
        if !self.read().templates.contains_key(name) {
            self.prepare([name])?;
        }
        let text = self
            .read()
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
        render_all_with(&Templates::new(&Library::builtin()).unwrap(), lang)
    }

    fn render_all_with(templates: &Templates, lang: Lang) -> Vec<RenderedDocument> {
        let catalog = fixtures::catalog();
        let company = fixtures::company();
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

    fn compiled(templates: &Templates) -> Vec<String> {
        let mut names: Vec<String> = templates.read().templates.keys().cloned().collect();
        names.sort();
        names
    }

    #[test]
    fn lazy_templates_render_what_eager_ones_do() {
        let lazy = Templates::lazy(&Library::builtin());
        assert!(compiled(&lazy).is_empty());
        for lang in [Lang::Zh, Lang::En, Lang::Bilingual] {
            assert_eq!(render_all_with(&lazy, lang), render_all(lang));
        }
    }

    #[test]
    fn lazy_templates_compile_only_what_a_packet_needs() {
        let lazy = Templates::lazy(&Library::builtin());
        lazy.prepare([CHECKLIST_TEMPLATE]).unwrap();
        assert_eq!(
            compiled(&lazy),
            [CHECKLIST_TEMPLATE, "documents/macros.md.tera"]
        );
        let letter = "documents/letters/commitment-lawful.md.tera";
        lazy.prepare([letter]).unwrap();
        assert!(compiled(&lazy).contains(&letter.to_string()));
        assert_eq!(compiled(&lazy).len(), 3);
    }

    #[test]
    fn a_broken_template_compiled_late_is_reported_and_leaves_the_others() {
        let dir = tempfile::tempdir().unwrap();
        let letters = dir.path().join("documents/letters");
        std::fs::create_dir_all(&letters).unwrap();
        std::fs::write(letters.join("commitment-lawful.md.tera"), "{% if %}").unwrap();
        let library = Library::with_user_dir(dir.path()).unwrap();
        let lazy = Templates::lazy(&library);
        let err = lazy
            .prepare(["documents/letters/commitment-lawful.md.tera"])
            .unwrap_err();
        assert!(err.to_string().contains("commitment-lawful"), "{err}");
        assert!(compiled(&lazy).is_empty(), "nothing half-added");
        lazy.prepare([CHECKLIST_TEMPLATE]).unwrap();
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
