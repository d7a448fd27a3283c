//! Turns `[[license]]` tables into checked [`License`]s: the number against the catalog's
//! number formats for the declared scope (and a known province abbreviation), catalog service
//! ids, dates in order, and no number twice. Formats come from the catalog, never from code.

use std::collections::HashMap;

use super::fields::{date, text_list, Ctx, Table};
use super::suggest::closest;
use super::License;
use crate::catalog::{Catalog, NumberFormat, Scope};

const LICENSE_KEYS: &[&str] = &[
    "number",
    "scope",
    "services",
    "issued",
    "expires",
    "services_opened",
];
const SCOPES: [(&str, Scope); 2] = [
    ("nationwide", Scope::Nationwide),
    ("provincial", Scope::Provincial),
];

/// All `[[license]]` entries; `None` if any of them had a problem.
pub(super) fn licenses(ctx: &mut Ctx, tables: &[Table], catalog: &Catalog) -> Option<Vec<License>> {
    let checked: Vec<Option<License>> = tables.iter().map(|t| license(ctx, t, catalog)).collect();
    let unique = no_duplicate_numbers(ctx, tables);
    let licenses: Option<Vec<License>> = checked.into_iter().collect();
    licenses.filter(|_| unique)
}

fn license(ctx: &mut Ctx, table: &Table, catalog: &Catalog) -> Option<License> {
    table.check_keys(ctx, LICENSE_KEYS);
    let scope = scope(ctx, table);
    let number = number(ctx, table, scope, catalog);
    let services = services(ctx, table, catalog);
    let services_opened = services_opened(ctx, table, services.as_deref());
    let issued = table
        .required(ctx, "issued", "2021-12-01")
        .and_then(|n| date(ctx, &table.field("issued"), n));
    let expires = table
        .required(ctx, "expires", "2026-12-01")
        .and_then(|n| date(ctx, &table.field("expires"), n));
    if let (Some(issued), Some(expires)) = (issued, expires) {
        if expires <= issued {
            let message = if expires == issued {
                "expires on the day it was issued"
            } else {
                "expires before issued"
            };
            let hint =
                format!("check both dates on the certificate: issued {issued}, expires {expires}");
            ctx.error(
                &table.span_of("expires"),
                &table.field("expires"),
                message.into(),
                hint,
            );
            return None;
        }
    }
    Some(License {
        number: number?,
        scope: scope?,
        services: services?,
        issued: issued?,
        expires: expires?,
        services_opened: services_opened.ok()?,
    })
}

/// Optional `services_opened`: each one of the licence's own services.
fn services_opened(
    ctx: &mut Ctx,
    table: &Table,
    services: Option<&[String]>,
) -> Result<Option<Vec<String>>, ()> {
    let Some(node) = table.get("services_opened") else {
        return Ok(None);
    };
    let field = table.field("services_opened");
    let listed = text_list(ctx, &field, node, "call-center").ok_or(())?;
    let Some(services) = services else {
        return Ok(Some(listed.into_iter().map(|(id, _)| id).collect()));
    };
    let mut ok = true;
    for (i, (id, span)) in listed.iter().enumerate() {
        if services.contains(id) {
            continue;
        }
        ok = false;
        let message = format!("\"{id}\" is not one of this licence's services");
        let hint = format!(
            "list only services from `services` ({}) that are actually live",
            services.join(", ")
        );
        ctx.error(span, &format!("{field}[{i}]"), message, hint);
    }
    if ok {
        Ok(Some(listed.into_iter().map(|(id, _)| id).collect()))
    } else {
        Err(())
    }
}

fn scope(ctx: &mut Ctx, table: &Table) -> Option<Scope> {
    let written = table.required_text(ctx, "scope", "nationwide")?;
    if let Some((_, scope)) = SCOPES.iter().find(|(name, _)| *name == written) {
        return Some(*scope);
    }
    let message = match closest(&written, SCOPES.iter().map(|(name, _)| *name)) {
        Some(near) => format!("unknown scope \"{written}\"; did you mean \"{near}\""),
        None => format!("unknown scope \"{written}\""),
    };
    let hint = "write \"nationwide\" (全网/跨地区, issued by MIIT) or \"provincial\" (地网/省内)"
        .to_owned();
    ctx.error(
        &table.span_of("scope"),
        &table.field("scope"),
        message,
        hint,
    );
    None
}

/// The catalog formats `number` follows, each with the province abbreviation it captured.
fn matching_formats<'c>(
    catalog: &'c Catalog,
    number: &str,
) -> Vec<(&'c NumberFormat, Option<String>)> {
    catalog
        .number_formats
        .iter()
        .filter_map(|format| {
            let caps = format.captures(number)?;
            Some((format, caps.name("abbr").map(|m| m.as_str().to_owned())))
        })
        .collect()
}

fn number(ctx: &mut Ctx, table: &Table, scope: Option<Scope>, catalog: &Catalog) -> Option<String> {
    let number = table.required_text(ctx, "number", "B2-20210001")?;
    let field = table.field("number");
    let matches = matching_formats(catalog, &number);
    let fitting = matches
        .iter()
        .find(|(f, _)| scope.is_none_or(|s| f.scope == s));
    if let Some((_, abbr)) = fitting {
        return match abbr {
            Some(abbr) if catalog.region_by_abbr(abbr).is_none() => {
                let message = format!("\"{abbr}\" at the start of \"{number}\" is not the abbreviation of a known province");
                let hint = "a provincial number starts with its province's one-character abbreviation (京, 沪, 粤, …)";
                ctx.error(&table.span_of("number"), &field, message, hint.into());
                None
            }
            _ => Some(number),
        };
    }
    let (message, hint) = match (scope, matches.first()) {
        (Some(_), Some((other, _))) => return scope_mismatch(ctx, table, &number, other.scope),
        (Some(scope), None) => (
            format!(
                "\"{number}\" does not match the pattern for a {} license",
                scope_name(scope)
            ),
            format!(
                "a {} license number looks like {}",
                scope_name(scope),
                examples(catalog, Some(scope))
            ),
        ),
        (None, _) => (
            format!("\"{number}\" does not match any license number pattern"),
            format!("a license number looks like {}", examples(catalog, None)),
        ),
    };
    ctx.error(&table.span_of("number"), &field, message, hint);
    None
}

/// The number is well formed but of the other scope: the `scope` line is the likelier mistake.
fn scope_mismatch(ctx: &mut Ctx, table: &Table, number: &str, actual: Scope) -> Option<String> {
    let message = format!(
        "\"{number}\" is a {} license number, but scope does not say so",
        scope_name(actual)
    );
    let hint = format!(
        "write scope = \"{}\", or check the number on the certificate",
        scope_name(actual)
    );
    ctx.error(
        &table.span_of("scope"),
        &table.field("scope"),
        message,
        hint,
    );
    None
}

fn scope_name(scope: Scope) -> &'static str {
    SCOPES
        .iter()
        .find(|(_, s)| *s == scope)
        .map_or("", |(name, _)| *name)
}

fn examples(catalog: &Catalog, scope: Option<Scope>) -> String {
    let examples: Vec<&str> = catalog
        .number_formats
        .iter()
        .filter(|f| scope.is_none_or(|s| f.scope == s))
        .map(|f| f.example.as_str())
        .collect();
    examples.join(" or ")
}

fn services(ctx: &mut Ctx, table: &Table, catalog: &Catalog) -> Option<Vec<String>> {
    let node = table.required(ctx, "services", "[\"call-center\"]")?;
    let field = table.field("services");
    let listed = text_list(ctx, &field, node, "call-center")?;
    if listed.is_empty() {
        let hint = "list the service ids printed on the certificate, e.g. [\"call-center\"]";
        ctx.error(
            &node.span,
            &field,
            "must list at least one service".into(),
            hint.into(),
        );
        return None;
    }
    let mut ok = true;
    for (i, (id, span)) in listed.iter().enumerate() {
        if catalog.service(id).is_some() {
            continue;
        }
        ok = false;
        let ids = catalog.services.iter().map(|s| s.id.as_str());
        let message = match closest(id, ids) {
            Some(near) => format!("unknown service \"{id}\"; did you mean \"{near}\""),
            None => format!("unknown service \"{id}\""),
        };
        let hint = match catalog
            .services
            .iter()
            .find(|s| s.code.eq_ignore_ascii_case(id))
        {
            Some(s) => format!("write \"{}\", the id of {}", s.id, s.code),
            None => format!(
                "known services: {}",
                catalog
                    .services
                    .iter()
                    .map(|s| s.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        ctx.error(span, &format!("{field}[{i}]"), message, hint);
    }
    ok.then(|| listed.into_iter().map(|(id, _)| id).collect())
}

/// Records an error on every later entry that repeats an earlier entry's number.
fn no_duplicate_numbers(ctx: &mut Ctx, tables: &[Table]) -> bool {
    let mut first_seen: HashMap<&str, usize> = HashMap::new();
    let mut unique = true;
    for (i, table) in tables.iter().enumerate() {
        let Some(super::node::Value::String(number)) = table.get("number").map(|n| &n.value) else {
            continue;
        };
        match first_seen.get(number.as_str()) {
            Some(first) => {
                unique = false;
                let message =
                    format!("duplicate license number \"{number}\" (also license[{first}])");
                let hint =
                    "list each certificate once; put all its services in one `services` list"
                        .into();
                ctx.error(
                    &table.span_of("number"),
                    &table.field("number"),
                    message,
                    hint,
                );
            }
            None => {
                first_seen.insert(number, i);
            }
        }
    }
    unique
}
