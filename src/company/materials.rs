//! Turns the `[materials]` table into material statuses for the checklist: each key a
//! material id some catalog procedure or service lists, each value a status word or
//! `{ status = …, note = … }`.

use std::collections::BTreeMap;

use super::fields::{Ctx, Table};
use super::node::{Node, Value};
use super::suggest::closest;
use super::{MaterialState, MaterialStatus};
use crate::catalog::Catalog;

const STATES: [(&str, MaterialState); 3] = [
    ("ready", MaterialState::Ready),
    ("missing", MaterialState::Missing),
    ("not-applicable", MaterialState::NotApplicable),
];
const STATUS_KEYS: &[&str] = &["status", "note"];
const VALUE_EXAMPLE: &str = "\"ready\" or { status = \"missing\", note = \"auditor due 12-05\" }";

pub(super) fn materials(
    ctx: &mut Ctx,
    table: &Table,
    catalog: &Catalog,
) -> Option<BTreeMap<String, MaterialStatus>> {
    let known = known_ids(catalog);
    let mut statuses = BTreeMap::new();
    let mut ok = true;
    for (id, node) in table.entries() {
        let field = table.field(id);
        let known_id = known.contains(&id.as_str());
        if !known_id {
            unknown_material(ctx, &field, node, id, &known);
        }
        match (status(ctx, &field, node), known_id) {
            (Some(status), true) => {
                statuses.insert(id.clone(), status);
            }
            _ => ok = false,
        }
    }
    ok.then_some(statuses)
}

/// Every material id of every procedure and service, sorted and without repeats.
fn known_ids(catalog: &Catalog) -> Vec<&str> {
    let from_procedures = catalog.procedures.iter().flat_map(|p| &p.materials);
    let from_services = catalog.services.iter().flat_map(|s| &s.materials);
    let mut ids: Vec<&str> = from_procedures
        .chain(from_services)
        .map(|m| m.id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn unknown_material(ctx: &mut Ctx, field: &str, node: &Node, id: &str, known: &[&str]) {
    let message = match closest(id, known.iter().copied()) {
        Some(near) => format!("unknown material \"{id}\"; did you mean \"{near}\""),
        None => format!("unknown material \"{id}\""),
    };
    let hint = "use a material id from the catalog (`licpack catalog` lists them)".to_owned();
    ctx.error(&node.span, field, message, hint);
}

fn status(ctx: &mut Ctx, field: &str, node: &Node) -> Option<MaterialStatus> {
    match &node.value {
        Value::String(_) => Some(MaterialStatus {
            state: state(ctx, field, node)?,
            note: None,
        }),
        Value::Table(_) => {
            let table = Table::new(ctx, field.to_owned(), node, VALUE_EXAMPLE)?;
            table.check_keys(ctx, STATUS_KEYS);
            let state = table
                .required(ctx, "status", "\"missing\"")
                .and_then(|n| state(ctx, &table.field("status"), n));
            let note = table.optional_text(ctx, "note", "auditor due 12-05");
            Some(MaterialStatus {
                state: state?,
                note: note.ok()?,
            })
        }
        other => {
            let message = format!(
                "must be a status or a {{ status, note }} table, found {}",
                other.kind()
            );
            ctx.error(&node.span, field, message, format!("write {VALUE_EXAMPLE}"));
            None
        }
    }
}

fn state(ctx: &mut Ctx, field: &str, node: &Node) -> Option<MaterialState> {
    let written = super::fields::text(ctx, field, node, "ready")?;
    if let Some((_, state)) = STATES.iter().find(|(name, _)| *name == written) {
        return Some(*state);
    }
    let names = STATES.iter().map(|(name, _)| *name);
    let message = match closest(&written, names) {
        Some(near) => format!("unknown status \"{written}\"; did you mean \"{near}\""),
        None => format!("unknown status \"{written}\""),
    };
    let hint = "write \"ready\", \"missing\" or \"not-applicable\"".to_owned();
    ctx.error(&node.span, field, message, hint);
    None
}
