//! Turns an assembled [`Catalog`] into the list of its cross-reference problems: duplicate
//! ids, patterns that do not compile, letters, services, failure reasons or source keys that
//! do not exist. Serde checks each file's shape; only this pass sees the files together.
//! Problems name a part of the catalog and a field path; the loader turns them into located
//! diagnostics.

use std::collections::HashSet;

use super::submission::{FIELDS, MIIT};
use super::{Catalog, Condition, DeadlineRule, Material, Procedure, Region, Scope};
use crate::diag::did_you_mean;

/// The string that stands in for a source key where a rule is practice, not regulation.
pub const COMMON_PRACTICE: &str = "common practice";

/// Which file a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Licenses,
    Regions,
    Letters,
    /// The `i`th procedure of the catalog.
    Procedure(usize),
    /// The `i`th source of the catalog; the field is relative to that entry.
    Source(usize),
    /// `submission.toml`.
    Submission,
}

/// One cross-reference problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub part: Part,
    /// Dotted path inside the file: `materials[3].id`.
    pub field: String,
    pub message: String,
    pub hint: Option<String>,
}

impl Problem {
    fn new(part: Part, field: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            part,
            field: field.into(),
            message: message.into(),
            hint: None,
        }
    }

    fn hint(mut self, hint: impl Into<String>) -> Problem {
        self.hint = Some(hint.into());
        self
    }
}

/// Every problem of `catalog`, in file order.
pub fn check(catalog: &Catalog) -> Vec<Problem> {
    let mut out = Vec::new();
    let sources = check_source_list(catalog, &mut out);
    let ctx = Context { catalog, sources };
    ctx.check_services(&mut out);
    ctx.check_number_formats(&mut out);
    ctx.check_number_kinds(&mut out);
    ctx.check_regions(&mut out);
    ctx.check_letters(&mut out);
    ctx.check_submission(&mut out);
    for (i, procedure) in catalog.procedures.iter().enumerate() {
        ctx.check_procedure(Part::Procedure(i), procedure, &mut out);
    }
    duplicates(catalog.procedures.iter().map(|p| p.id.as_str()), |i, id| {
        out.push(Problem::new(
            Part::Procedure(i),
            "id",
            format!("procedure id `{id}` is used by another file too"),
        ));
    });
    out
}

/// Checks the source list itself and returns its keys.
fn check_source_list<'a>(catalog: &'a Catalog, out: &mut Vec<Problem>) -> HashSet<&'a str> {
    for (i, source) in catalog.sources.iter().enumerate() {
        if source.key.trim().is_empty() || source.key.contains(char::is_whitespace) {
            out.push(Problem::new(
                Part::Source(i),
                "key",
                "a source key must be one word, e.g. `S14`",
            ));
        }
    }
    duplicates(catalog.sources.iter().map(|s| s.key.as_str()), |i, key| {
        out.push(Problem::new(
            Part::Source(i),
            "key",
            format!("source key `{key}` is listed twice"),
        ));
    });
    catalog.sources.iter().map(|s| s.key.as_str()).collect()
}

/// Calls `report(index, id)` for every repeat of an id seen earlier.
fn duplicates<'a>(ids: impl Iterator<Item = &'a str>, mut report: impl FnMut(usize, &'a str)) {
    let mut seen = HashSet::new();
    for (i, id) in ids.enumerate() {
        if !seen.insert(id) {
            report(i, id);
        }
    }
}

/// Reads one unique key (id, abbreviation, short name) of a region.
type RegionKey = fn(&Region) -> &str;

struct Context<'a> {
    catalog: &'a Catalog,
    sources: HashSet<&'a str>,
}

impl Context<'_> {
    /// A problem when `source` is empty or names a key that is not in the source list.
    fn source(&self, part: Part, field: String, source: &str, out: &mut Vec<Problem>) {
        if source.trim() == COMMON_PRACTICE {
            return;
        }
        if source.trim().is_empty() {
            let hint =
                "cite a source key such as \"S14\", several as \"S13 S14\", or \"common practice\"";
            out.push(Problem::new(part, field, "entry has no source").hint(hint));
            return;
        }
        for key in source
            .split_whitespace()
            .filter(|k| !self.sources.contains(k))
        {
            let mut problem =
                Problem::new(part, field.clone(), format!("unknown source key `{key}`"));
            problem = match did_you_mean(key, self.sources.iter().copied()) {
                Some(close) => problem.hint(format!("did you mean `{close}`?")),
                None => {
                    problem.hint("add it to catalog/sources.toml, or write \"common practice\"")
                }
            };
            out.push(problem);
        }
    }

    fn check_services(&self, out: &mut Vec<Problem>) {
        let services = &self.catalog.services;
        duplicates(services.iter().map(|s| s.id.as_str()), |i, id| {
            out.push(Problem::new(
                Part::Licenses,
                format!("service[{i}].id"),
                format!("service id `{id}` is listed twice"),
            ));
        });
        for (i, service) in services.iter().enumerate() {
            self.source(
                Part::Licenses,
                format!("service[{i}].source"),
                &service.source,
                out,
            );
            self.check_materials(
                Part::Licenses,
                &format!("service[{i}].materials"),
                &service.materials,
                &[],
                out,
            );
        }
    }

    fn check_number_formats(&self, out: &mut Vec<Problem>) {
        let formats = &self.catalog.number_formats;
        duplicates(formats.iter().map(|f| f.id.as_str()), |i, id| {
            let message = format!("number format id `{id}` is listed twice");
            out.push(Problem::new(
                Part::Licenses,
                format!("number_format[{i}].id"),
                message,
            ));
        });
        for (i, format) in formats.iter().enumerate() {
            self.source(
                Part::Licenses,
                format!("number_format[{i}].source"),
                &format.source,
                out,
            );
            let field = format!("number_format[{i}].pattern");
            match format.compiled.compile(&format.pattern) {
                Err(err) => out.push(Problem::new(
                    Part::Licenses,
                    field,
                    format!("pattern does not compile: {err}"),
                )),
                Ok(re)
                    if format.scope == Scope::Provincial
                        && re.capture_names().all(|n| n != Some("abbr")) =>
                {
                    let hint = "capture the province abbreviation with (?P<abbr>…)";
                    out.push(
                        Problem::new(
                            Part::Licenses,
                            field,
                            "provincial pattern has no `abbr` group",
                        )
                        .hint(hint),
                    );
                }
                Ok(_) => {}
            }
        }
    }

    fn check_number_kinds(&self, out: &mut Vec<Problem>) {
        let kinds = &self.catalog.number_kinds;
        duplicates(kinds.iter().map(|k| k.id.as_str()), |i, id| {
            out.push(Problem::new(
                Part::Licenses,
                format!("number_kind[{i}].id"),
                format!("number kind `{id}` is listed twice"),
            ));
        });
        for (i, kind) in kinds.iter().enumerate() {
            self.source(
                Part::Licenses,
                format!("number_kind[{i}].source"),
                &kind.source,
                out,
            );
            if let Some(id) = &kind.procedure {
                if self.catalog.procedure(id).is_none() {
                    out.push(Problem::new(
                        Part::Licenses,
                        format!("number_kind[{i}].procedure"),
                        format!("unknown procedure \"{id}\""),
                    ));
                }
            }
            if let Err(err) = kind.compiled.compile(&kind.pattern) {
                out.push(Problem::new(
                    Part::Licenses,
                    format!("number_kind[{i}].pattern"),
                    format!("pattern does not compile: {err}"),
                ));
            }
        }
    }

    fn check_regions(&self, out: &mut Vec<Problem>) {
        let regions = &self.catalog.regions;
        let fields: [(&str, RegionKey); 3] = [
            ("id", |r| &r.id),
            ("abbr", |r| &r.abbr),
            ("short", |r| &r.short),
        ];
        for (name, get) in fields {
            duplicates(regions.iter().map(get), |i, value| {
                let message = format!("region {name} `{value}` is used by another region too");
                out.push(Problem::new(
                    Part::Regions,
                    format!("region[{i}].{name}"),
                    message,
                ));
            });
        }
        for (i, region) in regions.iter().enumerate() {
            if let Some(rule) = &region.sealing {
                let field = format!("region[{i}].sealing.source");
                self.source(Part::Regions, field, &rule.source, out);
            }
            if region.abbr.chars().count() != 1 {
                let message = format!("abbreviation `{}` must be one character", region.abbr);
                out.push(Problem::new(
                    Part::Regions,
                    format!("region[{i}].abbr"),
                    message,
                ));
            }
        }
    }

    /// Every rule cites sources; the default gives every rule; an override names a known
    /// authority (a region id or `miit`).
    fn check_submission(&self, out: &mut Vec<Problem>) {
        let submission = &self.catalog.submission;
        let given: Vec<&str> = submission
            .default
            .sources()
            .iter()
            .map(|(f, _)| *f)
            .collect();
        for field in FIELDS.iter().filter(|f| !given.contains(f)) {
            out.push(
                Problem::new(
                    Part::Submission,
                    "default",
                    format!("the default has no `{field}`"),
                )
                .hint(format!(
                    "add {field} = {{ value = …, source = \"…\" }} to [default]"
                )),
            );
        }
        for (field, source) in submission.default.sources() {
            let field = format!("default.{field}.source");
            self.source(Part::Submission, field, source, out);
        }
        for (i, entry) in submission.authorities.iter().enumerate() {
            let known = entry.authority == MIIT
                || self.catalog.regions.iter().any(|r| r.id == entry.authority);
            if !known {
                let problem = Problem::new(
                    Part::Submission,
                    format!("authority[{i}].authority"),
                    format!("unknown authority `{}`", entry.authority),
                );
                let ids = self.catalog.regions.iter().map(|r| r.id.as_str());
                out.push(suggest(problem, &entry.authority, ids.chain([MIIT])));
            }
            for (field, source) in entry.rules.sources() {
                let field = format!("authority[{i}].{field}.source");
                self.source(Part::Submission, field, source, out);
            }
        }
    }

    fn check_letters(&self, out: &mut Vec<Problem>) {
        let letters = &self.catalog.letters;
        duplicates(letters.iter().map(|l| l.id.as_str()), |i, id| {
            out.push(Problem::new(
                Part::Letters,
                format!("letter[{i}].id"),
                format!("letter id `{id}` is listed twice"),
            ));
        });
        for (i, letter) in letters.iter().enumerate() {
            self.source(
                Part::Letters,
                format!("letter[{i}].source"),
                &letter.source,
                out,
            );
        }
    }

    fn check_procedure(&self, part: Part, procedure: &Procedure, out: &mut Vec<Problem>) {
        self.source(part, "source".into(), &procedure.source, out);
        self.check_applies(part, procedure, out);
        if let Some(entry) = &procedure.entry_text {
            self.source(part, "entry_text.source".into(), &entry.source, out);
        }
        self.check_deadline(part, procedure, out);
        if let Some(review) = &procedure.review {
            self.source(part, "review.source".into(), &review.source, out);
        }
        let reasons: Vec<&str> = procedure
            .failure_reasons
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        self.check_materials(part, "materials", &procedure.materials, &reasons, out);
        for (k, letter) in procedure.letters.iter().enumerate() {
            if self.catalog.letter(letter).is_none() {
                let problem = Problem::new(
                    part,
                    format!("letters[{k}]"),
                    format!("unknown letter `{letter}`"),
                );
                out.push(suggest(
                    problem,
                    letter,
                    self.catalog.letters.iter().map(|l| l.id.as_str()),
                ));
            }
        }
        for (k, cl) in procedure.letters_when.iter().enumerate() {
            let field = format!("letters_when[{k}]");
            if self.catalog.letter(&cl.id).is_none() {
                let problem = Problem::new(
                    part,
                    format!("{field}.id"),
                    format!("unknown letter `{}`", cl.id),
                );
                out.push(suggest(
                    problem,
                    &cl.id,
                    self.catalog.letters.iter().map(|l| l.id.as_str()),
                ));
            }
            self.check_condition(part, &format!("{field}.when"), &cl.when, &reasons, out);
        }
        duplicates(reasons.iter().copied(), |j, id| {
            let message = format!("failure reason id `{id}` is listed twice");
            out.push(Problem::new(
                part,
                format!("failure_reasons[{j}].id"),
                message,
            ));
        });
        for (j, reason) in procedure.failure_reasons.iter().enumerate() {
            self.source(
                part,
                format!("failure_reasons[{j}].source"),
                &reason.source,
                out,
            );
        }
    }

    /// Services named exist; a limited procedure says why it does not apply elsewhere.
    fn check_applies(&self, part: Part, procedure: &Procedure, out: &mut Vec<Problem>) {
        let a = &procedure.applies;
        self.source(part, "applies.source".into(), &a.source, out);
        let known: Vec<&str> = self
            .catalog
            .services
            .iter()
            .map(|s| s.id.as_str())
            .collect();
        for (k, id) in a.services.iter().enumerate() {
            if !known.contains(&id.as_str()) {
                let problem = Problem::new(
                    part,
                    format!("applies.services[{k}]"),
                    format!("unknown service `{id}`"),
                );
                out.push(suggest(problem, id, known.iter().copied()));
            }
        }
        if (!a.services.is_empty() || a.scope.is_some()) && a.why_not.is_none() {
            let hint = "add why_not = { zh = \"…\", en = \"…\" } so a refused packet can say why";
            out.push(
                Problem::new(
                    part,
                    "applies",
                    "a procedure limited to some services or a scope needs `why_not`",
                )
                .hint(hint),
            );
        }
    }

    fn check_deadline(&self, part: Part, procedure: &Procedure, out: &mut Vec<Problem>) {
        let source = match &procedure.deadline {
            DeadlineRule::BeforeExpiry { source, .. }
            | DeadlineRule::Reapplication { source, .. } => source,
            DeadlineRule::Yearly {
                month,
                day,
                grace_month,
                grace_day,
                source,
            } => {
                let valid =
                    |m: &u32, d: &u32| chrono::NaiveDate::from_ymd_opt(2025, *m, *d).is_some();
                if !valid(month, day) || !valid(grace_month, grace_day) {
                    out.push(Problem::new(part, "deadline", "not a day of the year"));
                }
                source
            }
            DeadlineRule::AfterEvent {
                source,
                event_field,
                ..
            } => {
                if !procedure.required_fields.contains(event_field) {
                    let message =
                        format!("event field `{event_field}` is not in `required_fields`");
                    let hint = format!(
                        "add \"{event_field}\" to required_fields so the company file must give it"
                    );
                    out.push(Problem::new(part, "deadline.event_field", message).hint(hint));
                }
                source
            }
            DeadlineRule::None => return,
        };
        self.source(part, "deadline.source".into(), source, out);
    }

    /// Ids unique within the list, sources valid, conditions naming things that exist.
    fn check_materials(
        &self,
        part: Part,
        list: &str,
        materials: &[Material],
        reasons: &[&str],
        out: &mut Vec<Problem>,
    ) {
        duplicates(materials.iter().map(|m| m.id.as_str()), |j, id| {
            let message = format!("material id `{id}` is listed twice");
            out.push(
                Problem::new(part, format!("{list}[{j}].id"), message)
                    .hint("give each material its own id"),
            );
        });
        self.check_aliases(part, list, materials, out);
        for (j, material) in materials.iter().enumerate() {
            let field = format!("{list}[{j}]");
            self.source(part, format!("{field}.source"), &material.source, out);
            self.check_condition(part, &format!("{field}.when"), &material.when, reasons, out);
        }
    }

    /// An alias that is another material's name or alias in the same list would make a
    /// client's file ambiguous by construction; an empty one would match every file.
    fn check_aliases(
        &self,
        part: Part,
        list: &str,
        materials: &[Material],
        out: &mut Vec<Problem>,
    ) {
        for (j, material) in materials.iter().enumerate() {
            for (k, alias) in material.aliases.iter().enumerate() {
                let field = format!("{list}[{j}].aliases[{k}]");
                let taken = materials.iter().enumerate().find(|(other, m)| {
                    *other != j && (m.name.zh == *alias || m.aliases.contains(alias))
                });
                if alias.trim().is_empty() {
                    out.push(Problem::new(part, field, "an alias is empty"));
                } else if let Some((_, other)) = taken {
                    let message = format!("alias `{alias}` also names material `{}`", other.id);
                    out.push(Problem::new(part, field, message).hint(
                        "a file called so would fit both materials; give each its own alias",
                    ));
                }
            }
        }
    }

    fn check_condition(
        &self,
        part: Part,
        field: &str,
        when: &Condition,
        reasons: &[&str],
        out: &mut Vec<Problem>,
    ) {
        let service_ids: Vec<&str> = self
            .catalog
            .services
            .iter()
            .map(|s| s.id.as_str())
            .collect();
        let lists = [
            ("services_any", &when.services_any, &service_ids[..]),
            ("failure_reasons_any", &when.failure_reasons_any, reasons),
        ];
        for (k, id) in when.regions_any.iter().enumerate() {
            if self.catalog.region(id).is_none() {
                let problem = Problem::new(
                    part,
                    format!("{field}.regions_any[{k}]"),
                    format!("unknown region `{id}`"),
                );
                out.push(suggest(
                    problem,
                    id,
                    self.catalog.regions.iter().map(|r| r.id.as_str()),
                ));
            }
        }
        for (name, given, known) in lists {
            for (k, id) in given
                .iter()
                .enumerate()
                .filter(|(_, id)| !known.contains(&id.as_str()))
            {
                let what = if name == "services_any" {
                    "service"
                } else {
                    "failure reason of this procedure"
                };
                let problem = Problem::new(
                    part,
                    format!("{field}.{name}[{k}]"),
                    format!("unknown {what} `{id}`"),
                );
                out.push(suggest(problem, id, known.iter().copied()));
            }
        }
    }
}

fn suggest<'a>(
    problem: Problem,
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Problem {
    match did_you_mean(word, candidates) {
        Some(close) => problem.hint(format!("did you mean `{close}`?")),
        None => problem,
    }
}
