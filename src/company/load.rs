//! Turns company TOML text into a [`Company`] or every located problem in it: parse into a
//! spanned tree, then validate each section against the catalog, collecting diagnostics.

use std::path::Path;

use super::fields::{Ctx, Table};
use super::node::{parse_tree, Node};
use super::{license, materials, numbers, procedure, validate, Company, License};
use crate::catalog::{Catalog, Procedure, Text};
use crate::diag::{line_col, Diagnostic, Diagnostics};

const TOP_KEYS: &[&str] = &[
    "company",
    "license",
    "procedure",
    "materials",
    "number",
    "client",
];
/// Keys of `[client]`: how the agency keeps the client, not what is printed.
const CLIENT_KEYS: &[&str] = &["materials_folder"];

/// Reads and validates the company file at `path`.
pub fn load(path: &Path, catalog: &Catalog) -> Result<Company, Diagnostics> {
    let bytes = std::fs::read(path).map_err(|e| {
        let diagnostic = Diagnostic::new(path, format!("cannot read the file: {e}"));
        Diagnostics(vec![if path.is_dir() {
            diagnostic.hint(format!(
                "this is a folder: `licpack batch {} --out DIR` makes the packets of every company file in it",
                path.display()
            ))
        } else {
            diagnostic
        }])
    })?;
    let text = decode(&bytes).map_err(|d| Diagnostics(vec![d.located_in(path)]))?;
    parse(text, path, catalog)
}

/// Why the bytes of a company file are not UTF-8 text, and where.
#[derive(Debug)]
struct EncodingProblem {
    line: usize,
    column: usize,
    message: String,
    hint: &'static str,
}

impl EncodingProblem {
    fn located_in(self, path: &Path) -> Diagnostic {
        Diagnostic::new(path, self.message)
            .at(self.line, self.column)
            .hint(self.hint)
    }
}

const SAVE_AS_UTF8: &str = "save the file as UTF-8 (Notepad: Save As, Encoding UTF-8; VS Code: \
     Save with Encoding, UTF-8), or convert it: iconv -f GB18030 -t UTF-8 in.toml > out.toml";
const SAVE_UTF16_AS_UTF8: &str = "save the file as UTF-8 (Notepad: Save As, Encoding UTF-8; VS \
     Code: Save with Encoding, UTF-8), or convert it: iconv -f UTF-16 -t UTF-8 in.toml > out.toml";

/// Company files come out of Windows editors and spreadsheets, so besides UTF-8 (a leading
/// byte-order mark is allowed) the usual wrong encodings are recognised and named.
fn decode(bytes: &[u8]) -> Result<&str, EncodingProblem> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(EncodingProblem {
            line: 1,
            column: 1,
            message: "the file is UTF-16 (\"Unicode\") text; licpack reads UTF-8".into(),
            hint: SAVE_UTF16_AS_UTF8,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let error = match std::str::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(e) => e,
    };
    let valid = &bytes[..error.valid_up_to()];
    // `valid` is UTF-8 by the definition of `valid_up_to`.
    let before = std::str::from_utf8(valid).unwrap_or_default();
    let (line, column) = line_col(before, before.len());
    let rest = &bytes[valid.len()..];
    if error.error_len().is_none() {
        return Err(EncodingProblem {
            line,
            column,
            message: "the file ends in the middle of a character (was it cut off while copying?)"
                .to_owned(),
            hint: "get the whole file again; the rest of it is missing",
        });
    }
    let message = if looks_like_gbk(rest) {
        format!(
            "not UTF-8 text: byte 0x{:02X} here looks like GBK/GB18030, the Chinese Windows encoding",
            rest[0]
        )
    } else {
        format!(
            "not UTF-8 text: byte 0x{:02X} cannot start a character",
            rest[0]
        )
    };
    Err(EncodingProblem {
        line,
        column,
        message,
        hint: SAVE_AS_UTF8,
    })
}

/// A GBK double-byte character: lead 0x81–0xFE, trail 0x40–0xFE except 0x7F.
pub(crate) fn looks_like_gbk(bytes: &[u8]) -> bool {
    matches!(bytes, [lead, trail, ..] if (0x81..=0xFE).contains(lead)
        && (0x40..=0xFE).contains(trail) && *trail != 0x7F)
}

/// Validates company TOML `text`; `path` is used in diagnostics only.
pub fn parse(text: &str, path: &Path, catalog: &Catalog) -> Result<Company, Diagnostics> {
    let root = parse_tree(text).map_err(|e| Diagnostics(vec![syntax_error(text, path, &e)]))?;
    let mut ctx = Ctx::new(text, path);
    let company = company(&mut ctx, &root, catalog, path);
    match company {
        Some(company) if ctx.diagnostics.is_empty() => Ok(company),
        _ if ctx.diagnostics.is_empty() => {
            // Every `None` above records why; this guards against a path that forgot to.
            Err(Diagnostics(vec![Diagnostic::new(
                path,
                "invalid company file (no detail recorded)",
            )]))
        }
        _ => Err(Diagnostics(ctx.diagnostics)),
    }
}

fn company(ctx: &mut Ctx, root: &Node, catalog: &Catalog, path: &Path) -> Option<Company> {
    let root = Table::new(ctx, String::new(), root, "[company]")?;
    root.check_keys(ctx, TOP_KEYS);
    let info = match root.required(ctx, "company", "[company] with name, uscc, …") {
        Some(node) => Table::new(ctx, "company".into(), node, "[company]")
            .and_then(|t| validate::company_info(ctx, &t, catalog)),
        None => None,
    };
    let license_tables = root.array_of_tables(ctx, "license");
    let licenses = license_tables
        .as_ref()
        .and_then(|t| license::licenses(ctx, t, catalog));
    // When `license` itself is malformed, every reference to it would be a second, noisy error.
    let numbers = license_tables.as_deref().map(written_numbers);
    let procedure_tables = root.array_of_tables(ctx, "procedure");
    let procedures = procedure_tables
        .as_ref()
        .and_then(|t| procedure::procedures(ctx, t, catalog, numbers.as_deref()));
    if let (Some(tables), Some(requests), Some(licenses)) =
        (&procedure_tables, &procedures, &licenses)
    {
        applicable(ctx, tables, requests, licenses, catalog);
    }
    let number_tables = root.array_of_tables(ctx, "number");
    let number_entries = number_tables
        .as_ref()
        .and_then(|t| numbers::numbers(ctx, t, catalog, numbers.as_deref()));
    if let (Some(tables), Some(entries), Some(licenses)) =
        (&number_tables, &number_entries, &licenses)
    {
        numbers_fit_licences(ctx, tables, entries, licenses, catalog);
    }
    let materials = match root.get("materials") {
        Some(node) => Table::new(ctx, "materials".into(), node, "[materials]")
            .and_then(|t| materials::materials(ctx, &t, catalog)),
        None => Some(Default::default()),
    };
    let materials_folder = client_folder(ctx, &root, path);
    Some(Company {
        source: path.to_path_buf(),
        materials_folder: materials_folder?,
        info: info?,
        licenses: licenses?,
        procedures: procedures?,
        materials: materials?,
        numbers: number_entries?,
    })
}

/// `[client] materials_folder`, resolved against the company file's folder: `Some(None)`
/// when absent, `None` when invalid (the error is in `ctx`).
fn client_folder(ctx: &mut Ctx, root: &Table, path: &Path) -> Option<Option<std::path::PathBuf>> {
    let Some(node) = root.get("client") else {
        return Some(None);
    };
    let client = Table::new(ctx, "client".into(), node, "[client]")?;
    client.check_keys(ctx, CLIENT_KEYS);
    let folder = client
        .optional_text(ctx, "materials_folder", "客户资料/北京云声")
        .ok()?;
    let base = path.parent().unwrap_or(Path::new(""));
    Some(folder.map(|f| base.join(f)))
}

/// Records an error at `type` for each procedure that does not apply to its licence (e.g.
/// outbound calling on an EDI licence), with the catalog's reason.
fn applicable(
    ctx: &mut Ctx,
    tables: &[Table],
    requests: &[super::ProcedureRequest],
    licenses: &[License],
    catalog: &Catalog,
) {
    for (table, request) in tables.iter().zip(requests) {
        let procedure = catalog.procedure(&request.kind);
        let Some((license, reason)) = refusal(procedure, licenses, &request.license) else {
            continue;
        };
        let message = format!(
            "procedure \"{}\" does not apply to licence {} ({}): {}",
            request.kind,
            license.number,
            license.services.join(", "),
            reason.en
        );
        let hint = format!(
            "{}; `licpack catalog` shows which procedures apply to which services",
            reason.zh.trim_end_matches('。')
        );
        ctx.error(&table.span_of("type"), &table.field("type"), message, hint);
    }
}

/// Records an error at `license` for each number held under a licence that may not hold
/// it (a 106 code under a call-centre licence), with the reason of the kind's procedure.
fn numbers_fit_licences(
    ctx: &mut Ctx,
    tables: &[Table],
    entries: &[super::NumberEntry],
    licenses: &[License],
    catalog: &Catalog,
) {
    for (table, entry) in tables.iter().zip(entries) {
        let procedure = catalog
            .number_kind(&entry.kind)
            .and_then(|k| k.procedure.as_deref())
            .and_then(|id| catalog.procedure(id));
        let Some((license, reason)) = refusal(procedure, licenses, &entry.license) else {
            continue;
        };
        let message = format!(
            "a {} number cannot be held under licence {} ({}): {}",
            entry.kind,
            license.number,
            license.services.join(", "),
            reason.en
        );
        let hint = format!(
            "{}; name a licence that covers it in `license`",
            reason.zh.trim_end_matches('。')
        );
        ctx.error(
            &table.span_of("license"),
            &table.field("license"),
            message,
            hint,
        );
    }
}

/// The licence `number` and the catalog's reason when `procedure` does not apply to it;
/// `None` when it applies, or when either is unknown (reported elsewhere).
fn refusal<'l>(
    procedure: Option<&Procedure>,
    licenses: &'l [License],
    number: &str,
) -> Option<(&'l License, Text)> {
    let license = licenses.iter().find(|l| l.number == number)?;
    let verdict = procedure?.verdict_for_licence(&license.services, license.scope);
    (!verdict.applicable).then_some((license, verdict.reason))
}

/// Licence numbers as written, valid or not, so a procedure naming a mistyped licence is
/// reported once (at the licence) rather than twice.
fn written_numbers(tables: &[Table]) -> Vec<String> {
    tables
        .iter()
        .filter_map(|t| match t.get("number").map(|n| &n.value) {
            Some(super::node::Value::String(s)) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

fn syntax_error(text: &str, path: &Path, err: &toml::de::Error) -> Diagnostic {
    let offset = err.span().map_or(0, |s| s.start);
    let (line, column) = line_col(text, offset);
    let detail = err.message().trim().replace('\n', "; ");
    let at_line_end = text[offset.min(text.len())..]
        .chars()
        .next()
        .is_none_or(|c| c == '\n' || c == '\r');
    let (message, hint) = if detail.contains("string") && at_line_end {
        (
            format!("TOML syntax error: unterminated string ({detail})"),
            "close the quote on the same line; use \"\"\"…\"\"\" for text over several lines",
        )
    } else {
        (
            format!("TOML syntax error: {detail}"),
            "fix the TOML syntax at this position (see toml.io)",
        )
    };
    Diagnostic::new(path, message).at(line, column).hint(hint)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use chrono::NaiveDate;

    use super::*;
    use crate::catalog::Scope;
    use crate::company::test_catalog::test_catalog;
    use crate::company::MaterialState;

    fn fixtures(kind: &str) -> Vec<PathBuf> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/company")
            .join(kind);
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        files
    }

    /// `# expect: line N, field F (phrase)` or `# expect: line N, TOML syntax error (phrase)`.
    fn expectation(text: &str) -> (usize, Option<String>, String) {
        let rest = text
            .lines()
            .next()
            .unwrap()
            .strip_prefix("# expect: line ")
            .unwrap();
        let (line, rest) = rest.split_once(", ").unwrap();
        let (what, phrase) = rest.split_once(" (").unwrap();
        let phrase = phrase.strip_suffix(')').unwrap().to_owned();
        let field = what.strip_prefix("field ").map(str::to_owned);
        (line.parse().unwrap(), field, phrase)
    }

    #[test]
    fn each_invalid_file_gives_its_expected_diagnostic() {
        let catalog = test_catalog();
        let files = fixtures("invalid");
        assert!(files.len() >= 12 + 8, "fixtures missing: {}", files.len());
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let (line, field, phrase) = expectation(&text);
            let diags = parse(&text, &file, &catalog)
                .expect_err(&file.display().to_string())
                .0;
            let found = diags.iter().any(|d| {
                d.line == line && d.field == field && d.message.contains(&phrase) && d.file == file
            });
            assert!(
                found,
                "{}: wanted line {line}, {field:?}, {phrase:?}; got:\n{}",
                file.display(),
                Diagnostics(diags)
            );
            assert!(
                diags.iter().all(|d| d.hint.is_some()),
                "{}: a diagnostic without hint",
                file.display()
            );
        }
    }

    #[test]
    fn wrong_encodings_are_named_and_located() {
        let gbk_name: &[u8] = b"\xB1\xB1\xBE\xA9"; // 北京 in GBK
        let file = [b"[company]\nname = \"".as_slice(), gbk_name, b"\"\n"].concat();
        let problem = decode(&file).unwrap_err();
        assert_eq!((problem.line, problem.column), (2, 9));
        assert!(problem.message.contains("GBK"), "{}", problem.message);
        assert!(problem.hint.contains("UTF-8"));

        let utf16: Vec<u8> = [0xFF, 0xFE, b'[', 0].to_vec();
        let problem = decode(&utf16).unwrap_err();
        assert!(problem.message.contains("UTF-16") && problem.hint.contains("-f UTF-16"));

        let cut = &"[company]\nname = \"北".as_bytes()[..19];
        let problem = decode(cut).unwrap_err();
        assert!(problem.message.contains("cut off"), "{}", problem.message);
        assert_eq!(problem.line, 2);

        let stray = b"a = 1\nb = \"\x80\"";
        assert!(decode(stray)
            .unwrap_err()
            .message
            .contains("0x80 cannot start"));
    }

    #[test]
    fn a_utf8_byte_order_mark_is_accepted() {
        assert_eq!(decode(b"\xEF\xBB\xBFa = 1").unwrap(), "a = 1");
    }

    fn valid(name: &str) -> Company {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/company/valid")
            .join(name);
        load(&path, &test_catalog()).unwrap_or_else(|d| panic!("{name}:\n{d}"))
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn every_valid_file_parses() {
        for file in fixtures("valid") {
            if let Err(d) = load(&file, &test_catalog()) {
                panic!("{}:\n{d}", file.display());
            }
        }
    }

    #[test]
    fn a_client_materials_folder_is_resolved_against_the_file() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/company/valid/callcenter-renewal.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let with = format!("{text}\n[client]\nmaterials_folder = \"../scans/云声\"\n");
        let company = parse(&with, &path, &test_catalog()).unwrap();
        assert_eq!(
            company.materials_folder,
            Some(path.parent().unwrap().join("../scans/云声"))
        );
        assert_eq!(valid("callcenter-renewal.toml").materials_folder, None);
        let empty = format!("{text}\n[client]\nmaterials_folder = \"\"\n");
        assert!(parse(&empty, &path, &test_catalog()).is_err());
    }

    #[test]
    fn callcenter_renewal_values() {
        let c = valid("callcenter-renewal.toml");
        assert_eq!(c.info.name, "北京云声科技有限公司");
        assert_eq!(c.info.uscc, "91110108MA01C2XM4Y");
        assert_eq!(c.info.province, "beijing");
        assert_eq!(c.info.registered_capital, 10_000_000);
        assert_eq!(c.info.foreign_shareholding_pct, 0.0);
        assert_eq!(
            c.info.contact.as_ref().unwrap().email.as_deref(),
            Some("lina@yunsheng.example")
        );
        let l = &c.licenses[0];
        assert_eq!(
            (l.number.as_str(), l.scope),
            ("B2-20220318", Scope::Nationwide)
        );
        assert_eq!(
            (l.issued, l.expires),
            (day("2022-04-30"), day("2027-04-30"))
        );
        assert_eq!(c.procedures[0].kind, "renewal");
        assert_eq!(c.procedures[0].license, "B2-20220318");
        assert!(c.materials.is_empty());
    }

    #[test]
    fn reapplication_values_and_material_statuses() {
        let c = valid("reapplication.toml");
        assert_eq!(c.info.province, "guangdong");
        assert_eq!(c.licenses[0].scope, Scope::Provincial);
        let p = &c.procedures[0];
        assert_eq!(p.failure_date, Some(day("2026-10-20")));
        assert_eq!(
            p.failure_reasons,
            [
                "materials-incomplete",
                "staff-qualification",
                "compliance-violation"
            ]
        );
        let ready = &c.materials["business-license-copy"];
        assert_eq!(
            (ready.state, ready.note.as_deref()),
            (MaterialState::Ready, None)
        );
        let missing = &c.materials["financial-statements"];
        assert_eq!(missing.state, MaterialState::Missing);
        assert_eq!(
            missing.note.as_deref(),
            Some("审计报告预计12月5日出具 / audit report due 5 Dec")
        );
    }

    #[test]
    fn legal_rep_change_and_foreign_values() {
        let c = valid("legal-rep-change.toml");
        let p = &c.procedures[0];
        assert_eq!(p.previous_legal_rep.as_deref(), Some("王建国"));
        assert_eq!(p.registration_change_date, Some(day("2026-11-10")));
        let f = valid("foreign-invested.toml");
        assert_eq!(f.info.foreign_shareholding_pct, 30.0);
        assert_eq!(f.licenses[1].services, ["icp"]);
        assert_eq!(f.licenses[1].scope, Scope::Provincial);
        assert_eq!(valid("multi-license.toml").procedures.len(), 3);
    }

    fn with_company_line(old: &str, new: &str) -> String {
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/company/valid/callcenter-renewal.toml"),
        )
        .unwrap();
        assert!(text.contains(old));
        text.replace(old, new)
    }

    #[test]
    fn chinese_short_name_is_normalised_to_the_region_id() {
        let text = with_company_line("province = \"beijing\"", "province = \"北京\"");
        let c = parse(&text, Path::new("c.toml"), &test_catalog()).unwrap();
        assert_eq!(c.info.province, "beijing");
    }

    #[test]
    fn all_problems_of_a_file_are_reported_together() {
        let text = with_company_line("province = \"beijing\"", "province = \"peking\"")
            .replace("legal_rep = \"张伟\"", "legal_reps = \"张伟\"")
            .replace("type = \"renewal\"", "type = \"renewel\"");
        let diags = parse(&text, Path::new("c.toml"), &test_catalog())
            .unwrap_err()
            .0;
        let fields: Vec<&str> = diags.iter().filter_map(|d| d.field.as_deref()).collect();
        for wanted in [
            "company.province",
            "company.legal_reps",
            "procedure[0].type",
        ] {
            assert!(fields.contains(&wanted), "{wanted} not in {fields:?}");
        }
        // The misspelt key explains the missing one: one diagnostic, not two, and it suggests
        // the absent `legal_rep`, not the `legal_rep_en` the file already has.
        assert!(
            !fields.contains(&"company.legal_rep"),
            "{}",
            Diagnostics(diags.clone())
        );
        let typo = diags
            .iter()
            .find(|d| d.field.as_deref() == Some("company.legal_reps"))
            .unwrap();
        assert_eq!(typo.message, "unknown key; did you mean \"legal_rep\"");
        assert_eq!((typo.line, typo.column), (5, 1));
    }

    #[test]
    fn hints_say_what_to_write() {
        let text = with_company_line("expires = 2027-04-30", "expires = \"2027-04-30\"");
        let diags = parse(&text, Path::new("c.toml"), &test_catalog())
            .unwrap_err()
            .0;
        assert!(
            diags[0].hint.as_deref().unwrap().contains("`2027-04-30`"),
            "{:?}",
            diags[0]
        );
        let text = with_company_line("\"B2-20220318\"\nscope", "\"B2-2022031\"\nscope");
        let diags = parse(&text, Path::new("c.toml"), &test_catalog())
            .unwrap_err()
            .0;
        assert!(
            diags[0].hint.as_deref().unwrap().contains("B2-YYYYNNNN"),
            "{:?}",
            diags[0]
        );
    }

    #[test]
    fn provincial_abbreviation_must_be_a_known_region() {
        // 津 is in the pattern but not among the test catalog's regions.
        let text = with_company_line(
            "\"B2-20220318\"\nscope = \"nationwide\"",
            "\"津B2-20220318\"\nscope = \"provincial\"",
        )
        .replace("license = \"B2-20220318\"", "license = \"津B2-20220318\"");
        let diags = parse(&text, Path::new("c.toml"), &test_catalog())
            .unwrap_err()
            .0;
        assert_eq!(diags.len(), 1, "{}", Diagnostics(diags.clone()));
        assert_eq!(diags[0].field.as_deref(), Some("license[0].number"));
        assert!(diags[0].message.contains("\"津\""));
    }

    #[test]
    fn icp_style_and_b1_numbers_follow_their_formats() {
        let text = with_company_line(
            "\"B2-20220318\"\nscope = \"nationwide\"",
            "\"京ICP证123456号\"\nscope = \"provincial\"",
        )
        .replace("license = \"B2-20220318\"", "license = \"京ICP证123456号\"");
        let c = parse(&text, Path::new("c.toml"), &test_catalog()).unwrap();
        assert_eq!(c.licenses[0].scope, Scope::Provincial);
        let text = with_company_line(
            "\"B2-20220318\"\nscope = \"nationwide\"",
            "\"京ICP证123456号\"\nscope = \"nationwide\"",
        );
        let diags = parse(&text, Path::new("c.toml"), &test_catalog())
            .unwrap_err()
            .0;
        assert_eq!(diags[0].field.as_deref(), Some("license[0].scope"));
    }

    #[test]
    fn unreadable_file_names_the_path() {
        let missing = Path::new("/nonexistent/company.toml");
        let diags = load(missing, &test_catalog()).unwrap_err().0;
        assert_eq!(diags[0].file, missing);
        assert!(diags[0].message.contains("cannot read"));
    }
}
