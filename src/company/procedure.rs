//! Turns `[[procedure]]` tables into checked [`ProcedureRequest`]s: a catalog procedure, a
//! licence of this file, the fields that procedure's catalog entry requires, and failure
//! reasons the procedure knows. Which fields are required is catalog data, not code.

use std::collections::HashMap;
use std::ops::Range;

use super::fields::{date, text_list, yuan, Ctx, Table};
use super::suggest::closest;
use super::ProcedureRequest;
use crate::catalog::{Catalog, Procedure};

/// `type` and `license` plus the fields of [`ProcedureRequest`].
const PROCEDURE_KEYS: &[&str] = &[
    "type",
    "license",
    "previous_legal_rep",
    "previous_registered_capital",
    "registration_change_date",
    "failure_date",
    "failure_reasons",
];

/// All `[[procedure]]` entries; `license_numbers` are the numbers the file's licences give.
pub(super) fn procedures(
    ctx: &mut Ctx,
    tables: &[Table],
    catalog: &Catalog,
    license_numbers: Option<&[String]>,
) -> Option<Vec<ProcedureRequest>> {
    let checked: Vec<Option<ProcedureRequest>> = tables
        .iter()
        .map(|t| procedure(ctx, t, catalog, license_numbers))
        .collect();
    let unique = no_repeated_packets(ctx, tables, &checked);
    let all: Option<Vec<ProcedureRequest>> = checked.into_iter().collect();
    all.filter(|_| unique)
}

/// Records an error on every later entry with the same procedure and licence as an earlier
/// one: both would make the same packet file, and which of them is meant is for a person to
/// say.
fn no_repeated_packets(
    ctx: &mut Ctx,
    tables: &[Table],
    checked: &[Option<ProcedureRequest>],
) -> bool {
    let mut unique = true;
    let mut first_seen: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, request) in checked.iter().enumerate() {
        let Some(request) = request else { continue };
        let key = (request.kind.as_str(), request.license.as_str());
        if let Some(&first) = first_seen.get(&key) {
            unique = false;
            let table = &tables[i];
            ctx.error(
                &table.span_of("type"),
                &table.field("type"),
                format!(
                    "a second \"{}\" for licence {} (also procedure[{first}])",
                    request.kind, request.license
                ),
                "each [[procedure]] makes one packet: keep one entry per licence and procedure, \
                 and delete or merge the other"
                    .into(),
            );
        } else {
            first_seen.insert(key, i);
        }
    }
    unique
}

fn procedure(
    ctx: &mut Ctx,
    table: &Table,
    catalog: &Catalog,
    license_numbers: Option<&[String]>,
) -> Option<ProcedureRequest> {
    table.check_keys(ctx, PROCEDURE_KEYS);
    let kind = kind(ctx, table, catalog);
    let license = license_ref(ctx, table, license_numbers);
    let required_present = kind.is_none_or(|p| required_fields_present(ctx, table, p));
    let previous_legal_rep = table.optional_text(ctx, "previous_legal_rep", "王芳");
    let previous_capital = match table.get("previous_registered_capital") {
        None => Ok(None),
        Some(node) => yuan(ctx, &table.field("previous_registered_capital"), node)
            .map(Some)
            .ok_or(()),
    };
    let registration_change_date = optional_date(ctx, table, "registration_change_date");
    let failure_date = optional_date(ctx, table, "failure_date");
    let failure_reasons = failure_reasons(ctx, table, kind);
    if !required_present {
        return None;
    }
    Some(ProcedureRequest {
        kind: kind?.id.clone(),
        license: license?,
        previous_legal_rep: previous_legal_rep.ok()?,
        previous_registered_capital: previous_capital.ok()?,
        registration_change_date: registration_change_date.ok()?,
        failure_date: failure_date.ok()?,
        failure_reasons: failure_reasons?,
    })
}

fn kind<'c>(ctx: &mut Ctx, table: &Table, catalog: &'c Catalog) -> Option<&'c Procedure> {
    let written = table.required_text(ctx, "type", "renewal")?;
    if let Some(procedure) = catalog.procedure(&written) {
        return Some(procedure);
    }
    let ids: Vec<&str> = catalog.procedures.iter().map(|p| p.id.as_str()).collect();
    let message = match closest(&written, ids.iter().copied()) {
        Some(near) => format!("unknown procedure \"{written}\"; did you mean \"{near}\""),
        None => format!("unknown procedure \"{written}\""),
    };
    let hint = format!("write one of the catalog's procedures: {}", ids.join(", "));
    ctx.error(&table.span_of("type"), &table.field("type"), message, hint);
    None
}

/// `license_numbers` is `None` when the licences could not be read: nothing to check against.
/// The table's `license`, which must name a `[[license]]` of the same file (`None` for
/// `license_numbers`: the licences were unreadable, so nothing to check against).
pub(super) fn license_ref(
    ctx: &mut Ctx,
    table: &Table,
    license_numbers: Option<&[String]>,
) -> Option<String> {
    let number = table.required_text(ctx, "license", "B2-20210001")?;
    let Some(license_numbers) = license_numbers.filter(|n| !n.contains(&number)) else {
        return Some(number);
    };
    let message = format!("\"{number}\" matches no [[license]] number");
    let hint = if license_numbers.is_empty() {
        "add a [[license]] entry for this certificate first".to_owned()
    } else {
        format!(
            "write one of this file's license numbers: {}",
            license_numbers.join(", ")
        )
    };
    ctx.error(
        &table.span_of("license"),
        &table.field("license"),
        message,
        hint,
    );
    None
}

/// Records an error at the table header for each field the procedure needs but that is absent.
fn required_fields_present(ctx: &mut Ctx, table: &Table, procedure: &Procedure) -> bool {
    let mut present = true;
    for field in &procedure.required_fields {
        if table.get(field).is_some() {
            continue;
        }
        present = false;
        let message = format!("required field missing for a {} procedure", procedure.id);
        let hint = format!(
            "add the line `{field} = {}` to this [[procedure]]",
            example_value(field, procedure)
        );
        ctx.error(&table.node.span, &table.field(field), message, hint);
    }
    present
}

/// A plausible value for a procedure field, for hints.
fn example_value(field: &str, procedure: &Procedure) -> String {
    if field.ends_with("_date") {
        "2026-11-10".to_owned()
    } else if field.ends_with("_capital") {
        "5000000".to_owned()
    } else if field == "failure_reasons" {
        let ids: Vec<String> = procedure
            .failure_reasons
            .iter()
            .take(2)
            .map(|r| format!("\"{}\"", r.id))
            .collect();
        format!("[{}]", ids.join(", "))
    } else {
        "\"…\"".to_owned()
    }
}

fn optional_date(ctx: &mut Ctx, table: &Table, key: &str) -> Result<Option<chrono::NaiveDate>, ()> {
    match table.get(key) {
        None => Ok(None),
        Some(node) => date(ctx, &table.field(key), node).map(Some).ok_or(()),
    }
}

/// Reason ids, each known to the procedure (when the procedure itself is known).
fn failure_reasons(
    ctx: &mut Ctx,
    table: &Table,
    procedure: Option<&Procedure>,
) -> Option<Vec<String>> {
    let Some(node) = table.get("failure_reasons") else {
        return Some(Vec::new());
    };
    let field = table.field("failure_reasons");
    let listed = text_list(ctx, &field, node, "materials-incomplete")?;
    let Some(procedure) = procedure else {
        return Some(listed.into_iter().map(|(id, _)| id).collect());
    };
    let mut ok = true;
    for (i, (id, span)) in listed.iter().enumerate() {
        if !procedure.failure_reasons.iter().any(|r| &r.id == id) {
            ok = false;
            unknown_reason(ctx, &format!("{field}[{i}]"), span, id, procedure);
        }
    }
    if listed.is_empty()
        && procedure
            .required_fields
            .iter()
            .any(|f| f == "failure_reasons")
    {
        let hint = format!(
            "list why the filing failed, e.g. failure_reasons = {}",
            example_value("failure_reasons", procedure)
        );
        ctx.error(
            &node.span,
            &field,
            "must list at least one reason".into(),
            hint,
        );
        ok = false;
    }
    ok.then(|| listed.into_iter().map(|(id, _)| id).collect())
}

fn unknown_reason(
    ctx: &mut Ctx,
    field: &str,
    span: &Range<usize>,
    id: &str,
    procedure: &Procedure,
) {
    let ids: Vec<&str> = procedure
        .failure_reasons
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    let message = match closest(id, ids.iter().copied()) {
        Some(near) => format!("unknown failure reason \"{id}\"; did you mean \"{near}\""),
        None => format!(
            "unknown failure reason \"{id}\" for a {} procedure",
            procedure.id
        ),
    };
    let hint = if ids.is_empty() {
        format!(
            "a {} procedure takes no failure reasons; remove the list",
            procedure.id
        )
    } else {
        format!(
            "the reasons known for {} are: {}",
            procedure.id,
            ids.join(", ")
        )
    };
    ctx.error(span, field, message, hint);
}
