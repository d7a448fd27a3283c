//! Turns `[[number]]` tables into checked [`NumberEntry`]s: a catalog number kind (95, 96,
//! 106 …), the number itself when allocated (matched against the kind's pattern), and the
//! licence of this file it is used under. Kinds and patterns are catalog data.

use super::fields::{Ctx, Table};
use super::procedure::license_ref;
use super::suggest::closest;
use super::NumberEntry;
use crate::catalog::Catalog;

const NUMBER_KEYS: &[&str] = &["kind", "number", "license"];

/// All `[[number]]` entries; `license_numbers` as for procedures (`None`: nothing to check).
pub(super) fn numbers(
    ctx: &mut Ctx,
    tables: &[Table],
    catalog: &Catalog,
    license_numbers: Option<&[String]>,
) -> Option<Vec<NumberEntry>> {
    let checked: Vec<Option<NumberEntry>> = tables
        .iter()
        .map(|t| number(ctx, t, catalog, license_numbers))
        .collect();
    checked.into_iter().collect()
}

fn number(
    ctx: &mut Ctx,
    table: &Table,
    catalog: &Catalog,
    license_numbers: Option<&[String]>,
) -> Option<NumberEntry> {
    table.check_keys(ctx, NUMBER_KEYS);
    let kind = kind(ctx, table, catalog);
    let value = table.optional_text(ctx, "number", "95123");
    let license = license_ref(ctx, table, license_numbers);
    let value = value.ok()?;
    if let (Some(kind), Some(written)) = (kind.as_deref(), value.as_deref()) {
        let k = catalog.number_kind(kind)?;
        let fits = k.regex().is_some_and(|re| re.is_match(written));
        if !fits {
            let message = format!("\"{written}\" is not a {} number", k.name.en);
            let hint = format!(
                "a {kind} number looks like {}; leave `number` out until one is allocated",
                k.example
            );
            ctx.error(
                &table.span_of("number"),
                &table.field("number"),
                message,
                hint,
            );
            return None;
        }
    }
    Some(NumberEntry {
        kind: kind?,
        number: value,
        license: license?,
    })
}

fn kind(ctx: &mut Ctx, table: &Table, catalog: &Catalog) -> Option<String> {
    let written = table.required_text(ctx, "kind", "95")?;
    if catalog.number_kind(&written).is_some() {
        return Some(written);
    }
    let ids: Vec<&str> = catalog.number_kinds.iter().map(|k| k.id.as_str()).collect();
    let message = match closest(&written, ids.iter().copied()) {
        Some(near) => format!("unknown number kind \"{written}\"; did you mean \"{near}\""),
        None => format!("unknown number kind \"{written}\""),
    };
    let hint = format!("write one of: {}", ids.join(", "));
    ctx.error(&table.span_of("kind"), &table.field("kind"), message, hint);
    None
}
