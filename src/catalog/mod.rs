//! Turns the catalog files under `templates/catalog/` (built in, or a user's override) into a
//! typed [`Catalog`]: services (licence types), regions, procedures with their materials,
//! deadline rules, letters and failure reasons. Domain knowledge lives in that data, never in
//! code branches; every rule carries the source key it comes from.

mod check;
mod load;
pub mod matrix;
mod spans;
pub mod submission;
#[cfg(test)]
mod tests;

pub use load::{builtin, load};

use serde::{Deserialize, Serialize};

use crate::workdays::Workdays;

/// A text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

/// Whether a licence covers two or more provinces (MIIT) or one (the provincial CA).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// 跨地区 / 全网, issued by MIIT.
    Nationwide,
    /// 省内 / 地网, issued by a provincial communications administration.
    Provincial,
}

/// How sure the domain reference is of a fact (H, M, L in `domain.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Confidence {
    /// Official text or several sources agree: stated as a rule.
    #[default]
    H,
    /// One decent source: shown as "common practice — confirm with the administration".
    M,
    /// Weak or contradictory: optional item, never stated as a rule.
    L,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Catalog {
    /// MIIT, the issuer of nationwide licences.
    pub national_authority: Text,
    /// The party of carrier-side procedures (basic telecom operator or virtual operator):
    /// not a licensing authority.
    pub carrier: Text,
    /// Kinds of numbering resources (95, 96, 106 …) a company file's `[[number]]` may name.
    pub number_kinds: Vec<NumberKind>,
    pub services: Vec<Service>,
    pub regions: Vec<Region>,
    pub number_formats: Vec<NumberFormat>,
    pub procedures: Vec<Procedure>,
    pub letters: Vec<Letter>,
    /// Source keys (`S13`, …) and what they are.
    pub sources: Vec<SourceRef>,
    /// Upload rules of the online system, per authority (`submission.toml`).
    pub submission: submission::Submission,
    /// China's working days, from `calendar/YEAR.toml` (empty when there are none).
    #[serde(skip)]
    pub calendar: Workdays,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    pub key: String,
    pub title: String,
}

/// A value-added service of the 2015 catalogue (B24 call-center, B25 icp, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub id: String,
    /// Catalogue code, e.g. `B24`.
    pub code: String,
    pub name: Text,
    /// Trade name (呼叫中心证, ICP证), if there is one.
    #[serde(default)]
    pub trade_name: Option<Text>,
    /// 1 or 2 (第一类 / 第二类增值电信业务).
    pub class: u8,
    pub validity_years: u32,
    /// Minimum registered capital in CNY per scope (Order 42 Art. 6).
    pub min_capital_nationwide: u64,
    pub min_capital_provincial: u64,
    /// Materials this service adds to every procedure that lists service materials.
    #[serde(default)]
    pub materials: Vec<Material>,
    pub source: String,
}

/// A provincial-level region and its communications administration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// Lowercase pinyin: `beijing`, `shanxi` (山西), `shaanxi` (陕西), …
    pub id: String,
    /// Full name: 北京市 / Beijing.
    pub name: Text,
    /// Short name accepted as an alias: 北京, 内蒙古.
    pub short: String,
    /// One-character abbreviation used in licence numbers: 京, 粤.
    pub abbr: String,
    /// 北京市通信管理局 / Beijing Communications Administration.
    pub authority: Text,
    /// How filings with this region's administration must be sealed beyond the signature
    /// (a seal on every page, 骑缝章 across the pages), shown on the checklist.
    #[serde(default)]
    pub sealing: Option<SealRule>,
}

/// A sealing requirement: what to do, and who says so.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealRule {
    pub text: Text,
    pub source: String,
    #[serde(default)]
    pub confidence: Confidence,
}

/// A pattern licence numbers of one kind follow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumberFormat {
    pub id: String,
    pub scope: Scope,
    /// A regular expression; for provincial formats the named group `abbr` captures the
    /// province abbreviation.
    pub pattern: String,
    /// Human-readable form for error messages: `B2-YYYYNNNN`.
    pub example: String,
    pub source: String,
    #[serde(skip)]
    pub compiled: CompiledPattern,
}

impl NumberFormat {
    /// The compiled `pattern`, built on first use and kept: a batch classifies thousands of
    /// numbers against the same dozen formats. `None` for an invalid pattern, which the
    /// catalog loader has already reported.
    pub fn regex(&self) -> Option<&regex_lite::Regex> {
        self.compiled.get(&self.pattern)
    }

    /// The captures of `number` against `pattern`. A number that does not begin with the
    /// pattern's literal start (`B2-` of `^B2-[0-9]{8}$`) cannot match, and is refused
    /// without compiling the pattern: a single `generate` would otherwise compile every
    /// format to classify one number.
    pub fn captures<'n>(&self, number: &'n str) -> Option<regex_lite::Captures<'n>> {
        if !number.starts_with(&literal_start(&self.pattern)) {
            return None;
        }
        self.regex()?.captures(number)
    }
}

/// The text every match of an anchored `pattern` starts with: the characters after `^` up to
/// the first one with a meaning in a regular expression, less the last when a quantifier
/// follows it. Empty for an unanchored pattern.
fn literal_start(pattern: &str) -> String {
    let Some(rest) = pattern.strip_prefix('^') else {
        return String::new();
    };
    let special = |c: char| "\\.[](){}?*+|^$".contains(c);
    let mut literal: Vec<char> = rest.chars().take_while(|c| !special(*c)).collect();
    if matches!(rest.chars().nth(literal.len()), Some('?' | '*' | '{')) {
        literal.pop();
    }
    literal.into_iter().collect()
}

/// A lazily compiled regular expression; equal to any other, since it only caches `pattern`.
/// The catalog check compiles through it too, so each pattern is compiled once per process.
#[derive(Debug, Clone, Default)]
pub struct CompiledPattern(std::sync::OnceLock<Result<regex_lite::Regex, String>>);

impl CompiledPattern {
    /// `pattern` compiled on first use; `None` when it is invalid (the loader reports that).
    fn get(&self, pattern: &str) -> Option<&regex_lite::Regex> {
        self.compile(pattern).ok()
    }

    /// `pattern` compiled on first use, or why it does not compile.
    pub(crate) fn compile(&self, pattern: &str) -> Result<&regex_lite::Regex, &str> {
        self.0
            .get_or_init(|| regex_lite::Regex::new(pattern).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(String::as_str)
    }
}

impl PartialEq for CompiledPattern {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// A kind of numbering resource (码号): 95 / 96 short numbers, 106 SMS access codes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumberKind {
    pub id: String,
    pub name: Text,
    /// A regular expression a number of this kind matches (whole number).
    pub pattern: String,
    /// Human-readable form for error messages: `95XXX or 95XXXX`.
    pub example: String,
    /// Who allocates it.
    pub granted_by: Text,
    pub source: String,
    /// The procedure that applies for this kind; its `applies` also says which licences
    /// may hold such a number.
    #[serde(default)]
    pub procedure: Option<String>,
    #[serde(skip)]
    pub compiled: CompiledPattern,
}

impl NumberKind {
    /// The compiled `pattern` (see [`NumberFormat::regex`]).
    pub fn regex(&self) -> Option<&regex_lite::Regex> {
        self.compiled.get(&self.pattern)
    }
}

/// Which services a procedure applies to, and why; data, so `licpack catalog` can print the
/// matrix and `generate` can refuse a cell that does not apply with the reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Applicability {
    /// Service ids; empty means every service.
    #[serde(default)]
    pub services: Vec<String>,
    /// When set, only licences of this scope (e.g. 95 numbers need a nationwide licence).
    #[serde(default)]
    pub scope: Option<Scope>,
    /// Why the procedure applies to these services.
    pub why: Text,
    /// Why it does not apply to the others (required when `services` is not empty or a
    /// scope is set).
    #[serde(default)]
    pub why_not: Option<Text>,
    pub source: String,
}

/// Who a procedure is filed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum HandledBy {
    /// The licence's issuing authority (MIIT or the provincial CA, by the licence's scope).
    #[default]
    Issuer,
    /// Always MIIT (e.g. 95 numbers).
    National,
    /// Always the company's provincial CA (e.g. 96 numbers).
    Provincial,
    /// A carrier, not a licensing authority (e.g. whitelisted telemarketing SIMs).
    Carrier,
}

/// A pre-flight check a procedure runs on optional company data before the checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Preflight {
    /// Every annual report since the licence was issued is in `annual_reports_filed`.
    AnnualReports,
    /// Every licensed service is in the licence's `services_opened`.
    ServicesOpened,
    /// `pending_changes` is empty.
    PendingChanges,
    /// The licence has not expired (else re-application is the only path).
    NotExpired,
}

/// A letter that joins a procedure's packet only when a condition holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionalLetter {
    pub id: String,
    pub when: Condition,
}

/// Text the filer types into the online system (not a signed letter).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryText {
    pub title: Text,
    /// What to type, or instructions where the system sets the wording.
    pub body: Text,
    pub note: Text,
    pub source: String,
}

/// A procedure a licence holder files (renewal, legal-rep change, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Procedure {
    pub id: String,
    pub name: Text,
    /// One or two sentences for the checklist's introduction.
    pub summary: Text,
    /// Legal basis, e.g. 《电信业务经营许可管理办法》第二十七条 / Order 42 Art. 27.
    pub basis: Text,
    pub source: String,
    /// Which services (and scope) it applies to, and why.
    pub applies: Applicability,
    /// Who it is filed with (default: the licence's issuer).
    #[serde(default)]
    pub handled_by: HandledBy,
    /// Extra `[[procedure]]` fields the company file must give (e.g. `previous_legal_rep`).
    #[serde(default)]
    pub required_fields: Vec<String>,
    pub deadline: DeadlineRule,
    /// How long the authority takes once the filing is in (working days), when known.
    #[serde(default)]
    pub review: Option<Review>,
    pub materials: Vec<Material>,
    /// Whether the licence's service-specific materials are added to this procedure.
    #[serde(default)]
    pub include_service_materials: bool,
    /// Letter ids, in packet order.
    pub letters: Vec<String>,
    /// Letters added after `letters` when their condition holds.
    #[serde(default)]
    pub letters_when: Vec<ConditionalLetter>,
    /// Text to type into the online system, shown as a block on the checklist.
    #[serde(default)]
    pub entry_text: Option<EntryText>,
    /// Checks on optional company data that warn before a filing that would fail.
    #[serde(default)]
    pub preflight: Vec<Preflight>,
    /// For re-application: why the earlier filing failed, and what to do about it.
    #[serde(default)]
    pub failure_reasons: Vec<FailureReason>,
}

/// One item of a checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Material {
    pub id: String,
    pub name: Text,
    #[serde(default)]
    pub note: Option<Text>,
    /// Who signs or seals it: 法定代表人签字＋公章 / legal representative signs + company seal.
    #[serde(default)]
    pub signing: Option<Text>,
    #[serde(default)]
    pub when: Condition,
    pub source: String,
    #[serde(default)]
    pub confidence: Confidence,
    /// Short names a client's file may be called by instead of the full name (营业执照 for
    /// 营业执照副本复印件); see `docs/dossier.md`.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Uploaded as a colour scan of the original (originals, ID cards, anything signed or
    /// sealed): a grayscale scan loses the red seal [S95 S98 S99 S97].
    #[serde(default)]
    pub colour_scan: bool,
    /// A copy (复印件): the bound pages may be marked 本复印件与原件一致 [S104].
    #[serde(default)]
    pub copy: bool,
}

/// When a material applies; every given part must hold. Empty = always.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    #[serde(default)]
    pub foreign_invested: Option<bool>,
    #[serde(default)]
    pub scope: Option<Scope>,
    /// Applies when the licence lists any of these services.
    #[serde(default)]
    pub services_any: Vec<String>,
    /// Applies when the re-application names any of these failure reasons.
    #[serde(default)]
    pub failure_reasons_any: Vec<String>,
    /// Applies when the company's province is any of these region ids.
    #[serde(default)]
    pub regions_any: Vec<String>,
    /// Applies when the licence's services include one of this class (1 or 2).
    #[serde(default)]
    pub service_class: Option<u8>,
    /// Applies when a deadline of the packet has (true) or has not (false) been missed.
    #[serde(default)]
    pub overdue: Option<bool>,
}

/// The authority's clock after a filing, in working days (see `plan::processing`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// Acceptance, or one request for corrections, comes about this many working days after
    /// the filing.
    pub acceptance_days: u32,
    /// The decision is due this many working days after acceptance …
    pub decision_days: u32,
    /// … which the authority may extend by this many (0: no extension).
    #[serde(default)]
    pub extension_days: u32,
    pub source: String,
}

/// How a procedure's deadlines are computed (see `plan::deadlines`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum DeadlineRule {
    /// Submit no later than `submit_days_before` expiry; start preparing
    /// `prepare_months_before` expiry.
    BeforeExpiry {
        submit_days_before: i64,
        prepare_months_before: u32,
        source: String,
    },
    /// File within `days` after the date in the procedure field `event_field`.
    AfterEvent {
        event_field: String,
        days: i64,
        source: String,
    },
    /// Re-application: a corrected renewal while the licence still allows it
    /// (`submit_days_before` expiry), else a fresh application.
    Reapplication {
        submit_days_before: i64,
        source: String,
    },
    /// Every year by `month`/`day` (for the previous year), with a catch-up period to
    /// `grace_month`/`grace_day` (annual report: 31 March, catch-up to 30 April).
    Yearly {
        month: u32,
        day: u32,
        grace_month: u32,
        grace_day: u32,
        source: String,
    },
    /// No deadline (e.g. a voluntary change with no time limit).
    #[default]
    None,
}

/// A reason a renewal failed and the remediation it calls for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct FailureReason {
    pub id: String,
    pub name: Text,
    /// Steps to take, in order.
    pub remediation: Vec<Text>,
    /// Title of this reason's section in the rectification report.
    pub report_section: Text,
    /// The route that follows: corrected renewal, fresh application after a lapse, a bar
    /// period, or a block until the listing ends.
    pub path: Text,
    pub source: String,
}

/// A letter (承诺书, 申请函, 整改报告) a procedure produces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Letter {
    pub id: String,
    pub title: Text,
    /// Template path relative to `templates/`, e.g. `documents/letters/commitment-lawful.md.tera`.
    pub template: String,
    pub source: String,
    /// Who signs and what is sealed (法定代表人签字＋公司盖章), shown on the checklist.
    #[serde(default)]
    pub signing: Option<Text>,
    /// M: common practice; L: an optional draft, never a requirement.
    #[serde(default)]
    pub confidence: Confidence,
}

/// Whether a procedure applies to a service (one cell of the matrix), and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub applicable: bool,
    pub reason: Text,
}

impl Procedure {
    /// The matrix cell for `service` (scope limits are part of the reason text).
    pub fn verdict_for_service(&self, service: &str) -> Verdict {
        let a = &self.applies;
        let applicable = a.services.is_empty() || a.services.iter().any(|s| s == service);
        let reason = if applicable {
            a.why.clone()
        } else {
            a.why_not.clone().unwrap_or_else(|| a.why.clone())
        };
        Verdict { applicable, reason }
    }

    /// Whether the procedure applies to a licence listing `services` at `scope`: some listed
    /// service must be one it applies to, and the scope must match when it is limited.
    pub fn verdict_for_licence(&self, services: &[String], scope: Scope) -> Verdict {
        let a = &self.applies;
        let service_ok = a.services.is_empty() || services.iter().any(|s| a.services.contains(s));
        let scope_ok = a.scope.is_none_or(|s| s == scope);
        let applicable = service_ok && scope_ok;
        let reason = if applicable {
            a.why.clone()
        } else {
            a.why_not.clone().unwrap_or_else(|| a.why.clone())
        };
        Verdict { applicable, reason }
    }
}

/// What a licence number says about its issuer.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberInfo<'a> {
    pub scope: Scope,
    /// The province whose abbreviation prefixes a provincial number.
    pub region: Option<&'a Region>,
    pub format: &'a NumberFormat,
}

impl Catalog {
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    /// A region by id (`beijing`) or Chinese short name (`北京`).
    pub fn region(&self, id_or_short: &str) -> Option<&Region> {
        self.regions
            .iter()
            .find(|r| r.id == id_or_short || r.short == id_or_short || r.name.zh == id_or_short)
    }

    pub fn region_by_abbr(&self, abbr: &str) -> Option<&Region> {
        self.regions.iter().find(|r| r.abbr == abbr)
    }

    pub fn procedure(&self, id: &str) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.id == id)
    }

    pub fn number_kind(&self, id: &str) -> Option<&NumberKind> {
        self.number_kinds.iter().find(|k| k.id == id)
    }

    pub fn letter(&self, id: &str) -> Option<&Letter> {
        self.letters.iter().find(|l| l.id == id)
    }

    /// The issuing authority for a licence of `scope` held in `region`.
    pub fn authority(&self, scope: Scope, region: &Region) -> Text {
        match scope {
            Scope::Nationwide => self.national_authority.clone(),
            Scope::Provincial => region.authority.clone(),
        }
    }

    /// Which format `number` follows, if any.
    pub fn classify_number(&self, number: &str) -> Option<NumberInfo<'_>> {
        self.number_formats.iter().find_map(|format| {
            let caps = format.captures(number)?;
            let region = caps
                .name("abbr")
                .and_then(|m| self.region_by_abbr(m.as_str()));
            Some(NumberInfo {
                scope: format.scope,
                region,
                format,
            })
        })
    }
}
