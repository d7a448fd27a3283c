//! Turns a [`PacketPlan`] into the variables templates see. Dates come pre-formatted in both
//! languages; `templates/README.md` lists every variable (a test keeps the two in step).

use chrono::NaiveDate;
use serde::Serialize;
use tera::Context;

use super::filters::{cny_upper, en_date, thousands, zh_date};
use crate::catalog::{Letter, Scope, SealRule, Text};
use crate::company::MaterialState;
use crate::dossier::report::Status as FolderState;
use crate::plan::PacketPlan;

/// Which languages a packet is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Lang {
    /// Chinese first, English beneath (checklists) or as a reference translation (letters).
    #[default]
    Bilingual,
    Zh,
    En,
}

impl Lang {
    pub fn show_zh(self) -> bool {
        self != Lang::En
    }
    pub fn show_en(self) -> bool {
        self != Lang::Zh
    }
    /// The Chinese text unless the packet is English-only.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        if self == Lang::En {
            en
        } else {
            zh
        }
    }
}

#[derive(Serialize)]
struct DateText {
    iso: String,
    zh: String,
    en: String,
}

fn date(d: NaiveDate) -> DateText {
    DateText {
        iso: d.format("%Y-%m-%d").to_string(),
        zh: zh_date(d),
        en: en_date(d),
    }
}

#[derive(Serialize)]
struct MaterialView<'a> {
    number: usize,
    id: &'a str,
    name: &'a Text,
    note: Option<&'a Text>,
    signing: Option<&'a Text>,
    confidence: &'static str,
    /// `ready`, `missing`, `not-applicable` or `open` (not recorded); with a materials
    /// folder, the folder's `ready`, `missing`, `problem` or `not-applicable`.
    status: &'static str,
    status_note: Option<&'a str>,
    /// With a materials folder: the material's files and their pages in all.
    files: Vec<&'a str>,
    pages: Option<usize>,
    source: &'a str,
}

#[derive(Serialize, Default)]
struct Progress {
    ready: usize,
    missing: usize,
    not_applicable: usize,
    open: usize,
    problem: usize,
    total: usize,
    /// The statuses come from a materials folder.
    from_folder: bool,
}

/// The template variables for `plan`.
pub fn context_for(plan: &PacketPlan, lang: Lang) -> Context {
    let mut ctx = Context::new();
    ctx.insert("lang", &lang);
    ctx.insert("show_zh", &lang.show_zh());
    ctx.insert("show_en", &lang.show_en());
    ctx.insert("today", &date(plan.today));
    ctx.insert("company", &company(plan));
    ctx.insert("license", &license(plan));
    ctx.insert("authority", &plan.authority);
    ctx.insert("region", &plan.region.name);
    ctx.insert("procedure", &procedure(plan));
    ctx.insert("failure_reasons", &plan.failure_reasons);
    ctx.insert("numbers", &numbers(plan));
    let (materials, progress) = materials(plan);
    ctx.insert("materials", &materials);
    ctx.insert("progress", &progress);
    ctx.insert("deadlines", &deadlines(plan));
    ctx.insert("warnings", &plan.warnings);
    let letters: Vec<_> = plan.letters.iter().map(|l| letter(l)).collect();
    ctx.insert("letters", &letters);
    ctx.insert("sealing", &sealing(plan));
    ctx
}

/// The region's sealing rule, when the packet is filed with that region's administration
/// (a nationwide licence is filed with MIIT, whose practice it does not describe).
fn sealing<'a>(plan: &PacketPlan<'a>) -> Option<&'a SealRule> {
    let region = plan.region;
    (plan.authority == region.authority)
        .then_some(region.sealing.as_ref())
        .flatten()
}

/// The `letter` variable of a letter template.
pub fn letter(l: &Letter) -> serde_json::Value {
    serde_json::json!({
        "id": l.id,
        "title": l.title,
        "confidence": l.confidence,
        "signing": l.signing,
    })
}

/// The `[[number]]` entries of this licence, with their kind's names.
fn numbers(plan: &PacketPlan) -> Vec<serde_json::Value> {
    plan.numbers
        .iter()
        .map(|n| {
            serde_json::json!({
                "kind": n.kind,
                "number": n.number.as_deref().unwrap_or("—"),
                "allocated": n.number.is_some(),
            })
        })
        .collect()
}

fn company(plan: &PacketPlan) -> serde_json::Value {
    let c = &plan.company.info;
    serde_json::json!({
        "name": c.name,
        "name_en": plan.company.name_en(),
        "uscc": c.uscc,
        "legal_rep": c.legal_rep,
        "legal_rep_en": c.legal_rep_en.as_deref().unwrap_or(&c.legal_rep),
        "address": c.address,
        "address_en": c.address_en.as_deref().unwrap_or(&c.address),
        "province": plan.region.name,
        "registered_capital": c.registered_capital,
        "capital": thousands(c.registered_capital),
        "capital_upper": cny_upper(c.registered_capital),
        "foreign_invested": c.foreign_shareholding_pct > 0.0,
        "foreign_shareholding_pct": c.foreign_shareholding_pct,
        "contact": c.contact,
    })
}

fn license(plan: &PacketPlan) -> serde_json::Value {
    let l = plan.license;
    let scope_name = match l.scope {
        Scope::Nationwide => Text {
            zh: "跨地区（全网）".into(),
            en: "Cross-regional (nationwide)".into(),
        },
        Scope::Provincial => Text {
            zh: "省内（地网）".into(),
            en: "Provincial".into(),
        },
    };
    let services: Vec<_> = plan
        .services
        .iter()
        .map(|s| serde_json::json!({ "id": s.id, "code": s.code, "name": s.name }))
        .collect();
    serde_json::json!({
        "number": l.number,
        "scope": l.scope,
        "scope_name": scope_name,
        "services": services,
        "issued": date(l.issued),
        "expires": date(l.expires),
    })
}

fn procedure(plan: &PacketPlan) -> serde_json::Value {
    let p = plan.procedure;
    let r = plan.request;
    serde_json::json!({
        "id": p.id,
        "name": p.name,
        "summary": p.summary,
        "basis": p.basis,
        "source": p.source,
        "handled_by": p.handled_by,
        "entry_text": p.entry_text,
        "previous_legal_rep": r.previous_legal_rep,
        "previous_registered_capital": r.previous_registered_capital,
        "registration_change_date": r.registration_change_date.map(date),
        "failure_date": r.failure_date.map(date),
    })
}

fn materials<'a>(plan: &'a PacketPlan) -> (Vec<MaterialView<'a>>, Progress) {
    let mut progress = Progress::default();
    let views = plan
        .materials
        .iter()
        .map(|m| {
            let (status, status_note) = match &m.found {
                Some(found) => (
                    folder_status(found.status, &mut progress),
                    found.reason.as_deref(),
                ),
                None => (
                    typed_status(m.status.map(|s| s.state), &mut progress),
                    m.status.and_then(|s| s.note.as_deref()),
                ),
            };
            MaterialView {
                number: m.number,
                id: &m.material.id,
                name: &m.material.name,
                note: m.material.note.as_ref(),
                signing: m.material.signing.as_ref(),
                confidence: match m.material.confidence {
                    crate::catalog::Confidence::H => "H",
                    crate::catalog::Confidence::M => "M",
                    crate::catalog::Confidence::L => "L",
                },
                status,
                status_note,
                files: m
                    .found
                    .iter()
                    .flat_map(|f| f.files.iter().map(String::as_str))
                    .collect(),
                pages: m.found.as_ref().map(|f| f.pages),
                source: &m.material.source,
            }
        })
        .collect::<Vec<_>>();
    progress.total = views.len();
    progress.from_folder = plan.materials.iter().any(|m| m.found.is_some());
    (views, progress)
}

/// The status word of a state typed in the company file, counted.
fn typed_status(state: Option<MaterialState>, progress: &mut Progress) -> &'static str {
    match state {
        Some(MaterialState::Ready) => {
            progress.ready += 1;
            "ready"
        }
        Some(MaterialState::Missing) => {
            progress.missing += 1;
            "missing"
        }
        Some(MaterialState::NotApplicable) => {
            progress.not_applicable += 1;
            "not-applicable"
        }
        None => {
            progress.open += 1;
            "open"
        }
    }
}

/// The status word of a state found in the materials folder, counted.
fn folder_status(status: FolderState, progress: &mut Progress) -> &'static str {
    match status {
        FolderState::Ready => progress.ready += 1,
        FolderState::Missing => progress.missing += 1,
        FolderState::Problem => progress.problem += 1,
        FolderState::NotApplicable => progress.not_applicable += 1,
    }
    crate::dossier::report::status_word(status)
}

fn deadlines(plan: &PacketPlan) -> Vec<serde_json::Value> {
    plan.deadlines
        .iter()
        .map(|d| {
            serde_json::json!({
                "id": d.id,
                "label": d.label,
                "date": date(d.date),
                "until": d.until.map(date),
                "days_left": d.days_left,
                "days_ago": -d.days_left,
                "status": d.status,
                "note": d.note,
                "source": d.source,
                "provisional": d.provisional,
            })
        })
        .collect()
}

#[cfg(test)]
mod doc_tests {
    use super::*;
    use crate::plan::{fixtures, plan, Selection};

    /// `templates/README.md` from "## Template variables" to the next `## `.
    fn documented() -> String {
        let readme = include_str!("../../templates/README.md");
        let start = readme
            .find("## Template variables")
            .expect("templates/README.md has a Template variables section");
        let rest = &readme[start + 3..];
        rest[..rest.find("\n## ").unwrap_or(rest.len())].to_string()
    }

    /// Dotted paths of every variable: arrays as `name[]`; bilingual texts (`zh`/`en`) and
    /// dates (`iso`/`zh`/`en`) are documented as one variable each.
    fn paths(prefix: &str, value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                let keys: Vec<&str> = map.keys().map(String::as_str).collect();
                let leaf = keys == ["en", "zh"] || keys == ["en", "iso", "zh"];
                if leaf && !prefix.is_empty() {
                    return;
                }
                for (k, v) in map {
                    let path = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    out.push(path.clone());
                    paths(&path, v, out);
                }
            }
            serde_json::Value::Array(items) => {
                if let Some(first) = items.first() {
                    let path = format!("{prefix}[]");
                    paths(&path, first, out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn every_template_variable_is_documented() {
        let (catalog, company) = (fixtures::catalog(), fixtures::company());
        let plans = plan(
            &company,
            &catalog,
            fixtures::date("2026-11-25"),
            &Selection::default(),
        )
        .unwrap();
        let doc = documented();
        let mut missing = std::collections::BTreeSet::new();
        for p in &plans {
            let mut ctx = context_for(p, Lang::Bilingual);
            if let Some(l) = p.letters.first() {
                ctx.insert("letter", &letter(l));
            }
            let mut all = Vec::new();
            paths("", &ctx.into_json(), &mut all);
            for path in all {
                if !doc.contains(&format!("`{path}`")) {
                    missing.insert(path);
                }
            }
        }
        assert!(
            missing.is_empty(),
            "templates/README.md does not document: {missing:?}"
        );
    }
}
