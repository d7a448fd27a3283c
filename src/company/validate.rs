//! Turns the `[company]` table into a checked [`CompanyInfo`]: required fields, the USCC check
//! character, the region (aliases normalised to the catalog id), capital and foreign share.
//! Every problem is recorded in the [`Ctx`]; `None` means at least one was.

use super::fields::{text, yuan, Ctx, Table};
use super::node::Value;
use super::suggest::closest;
use super::{uscc, CompanyInfo, Contact};
use crate::catalog::Catalog;

const COMPANY_KEYS: &[&str] = &[
    "name",
    "name_en",
    "uscc",
    "legal_rep",
    "legal_rep_en",
    "address",
    "address_en",
    "province",
    "registered_capital",
    "foreign_shareholding_pct",
    "contact",
    "annual_reports_filed",
    "pending_changes",
];
const CONTACT_KEYS: &[&str] = &["name", "phone", "email"];
const CONTACT_EXAMPLE: &str = "{ name = \"李娜\", phone = \"010-62345678\" }";

pub(super) fn company_info(ctx: &mut Ctx, table: &Table, catalog: &Catalog) -> Option<CompanyInfo> {
    table.check_keys(ctx, COMPANY_KEYS);
    let name = table.required_text(ctx, "name", "北京云声科技有限公司");
    let name_en = table.optional_text(ctx, "name_en", "Beijing Yunsheng Technology Co., Ltd.");
    let uscc = checked_uscc(ctx, table);
    let legal_rep = table.required_text(ctx, "legal_rep", "张伟");
    let legal_rep_en = table.optional_text(ctx, "legal_rep_en", "Zhang Wei");
    let address = table.required_text(ctx, "address", "北京市海淀区中关村大街1号");
    let address_en = table.optional_text(ctx, "address_en", "No. 1 Zhongguancun Street");
    let province = province(ctx, table, catalog);
    let registered_capital = registered_capital(ctx, table);
    let foreign_shareholding_pct = foreign_pct(ctx, table);
    let contact = match table.get("contact") {
        None => Ok(None),
        Some(node) => {
            let t = Table::new(ctx, table.field("contact"), node, CONTACT_EXAMPLE);
            t.and_then(|t| contact(ctx, &t)).map(Some).ok_or(())
        }
    };
    let annual_reports_filed = years(ctx, table, "annual_reports_filed");
    let pending_changes = pending_changes(ctx, table, catalog);
    Some(CompanyInfo {
        name: name?,
        name_en: name_en.ok()?,
        uscc: uscc?,
        legal_rep: legal_rep?,
        legal_rep_en: legal_rep_en.ok()?,
        address: address?,
        address_en: address_en.ok()?,
        province: province?,
        registered_capital: registered_capital?,
        foreign_shareholding_pct: foreign_shareholding_pct?,
        contact: contact.ok()?,
        annual_reports_filed: annual_reports_filed.ok()?,
        pending_changes: pending_changes?,
    })
}

/// An optional list of years (`[2022, 2023]`).
fn years(ctx: &mut Ctx, table: &Table, key: &str) -> Result<Option<Vec<i32>>, ()> {
    let Some(node) = table.get(key) else {
        return Ok(None);
    };
    let field = table.field(key);
    let Value::Array(items) = &node.value else {
        let message = format!("must be a list of years, found {}", node.value.kind());
        ctx.error(
            &node.span,
            &field,
            message,
            "write it like [2022, 2023, 2024]".into(),
        );
        return Err(());
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match &item.value {
            Value::Integer(y) if (2000..=2100).contains(y) => out.push(*y as i32),
            other => {
                let message = format!("must be a year such as 2024, found {}", other.kind());
                let hint = "write years as whole numbers without quotes: [2022, 2023]".into();
                ctx.error(&item.span, &format!("{field}[{i}]"), message, hint);
                return Err(());
            }
        }
    }
    Ok(Some(out))
}

/// Optional `pending_changes`: catalog change procedures made but not yet filed.
fn pending_changes(ctx: &mut Ctx, table: &Table, catalog: &Catalog) -> Option<Vec<String>> {
    let Some(node) = table.get("pending_changes") else {
        return Some(Vec::new());
    };
    let field = table.field("pending_changes");
    let listed = super::fields::text_list(ctx, &field, node, "name-change")?;
    let changes: Vec<&str> = catalog
        .procedures
        .iter()
        .map(|p| p.id.as_str())
        .filter(|id| id.ends_with("-change"))
        .collect();
    let mut ok = true;
    for (i, (id, span)) in listed.iter().enumerate() {
        if changes.contains(&id.as_str()) {
            continue;
        }
        ok = false;
        let message = match closest(id, changes.iter().copied()) {
            Some(near) => format!("unknown change \"{id}\"; did you mean \"{near}\""),
            None => format!("unknown change \"{id}\""),
        };
        let hint = format!("write one of: {}", changes.join(", "));
        ctx.error(span, &format!("{field}[{i}]"), message, hint);
    }
    ok.then(|| listed.into_iter().map(|(id, _)| id).collect())
}

fn checked_uscc(ctx: &mut Ctx, table: &Table) -> Option<String> {
    let code = table.required_text(ctx, "uscc", "91110108MA01C2XM4Y")?;
    match uscc::validate(&code) {
        Ok(()) => Some(code),
        Err(err) => {
            let span = table.span_of("uscc");
            ctx.error(&span, &table.field("uscc"), err.to_string(), err.hint());
            None
        }
    }
}

/// The catalog id of the region written as an id or a Chinese short name.
fn province(ctx: &mut Ctx, table: &Table, catalog: &Catalog) -> Option<String> {
    let written = table.required_text(ctx, "province", "beijing")?;
    if let Some(region) = catalog.region(&written) {
        return Some(region.id.clone());
    }
    let names = catalog
        .regions
        .iter()
        .flat_map(|r| [r.id.as_str(), r.short.as_str()]);
    let message = match closest(&written, names) {
        Some(near) => format!("unknown region \"{written}\"; did you mean \"{near}\""),
        None => format!("unknown region \"{written}\""),
    };
    let examples: Vec<String> = catalog
        .regions
        .iter()
        .take(3)
        .map(|r| format!("{} ({})", r.id, r.short))
        .collect();
    let hint = format!(
        "write the region id in lowercase pinyin or its Chinese short name, e.g. {}",
        examples.join(", ")
    );
    let span = table.span_of("province");
    ctx.error(&span, &table.field("province"), message, hint);
    None
}

fn registered_capital(ctx: &mut Ctx, table: &Table) -> Option<u64> {
    let node = table.required(ctx, "registered_capital", "10000000")?;
    yuan(ctx, &table.field("registered_capital"), node)
}

/// Optional, 0 when absent.
fn foreign_pct(ctx: &mut Ctx, table: &Table) -> Option<f64> {
    let Some(node) = table.get("foreign_shareholding_pct") else {
        return Some(0.0);
    };
    // Percentages are small integers, so the conversion to f64 is exact.
    #[allow(clippy::cast_precision_loss)]
    let pct = match node.value {
        Value::Integer(i) => Some(i as f64),
        Value::Float(f) => Some(f),
        _ => None,
    };
    if let Some(pct) = pct.filter(|p| (0.0..=100.0).contains(p)) {
        return Some(pct);
    }
    let found = match &node.value {
        Value::Integer(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        other => other.kind().to_owned(),
    };
    let message = format!("must be a percentage between 0 and 100 (found {found})");
    let hint = "write the foreign shareholding as a number without %, e.g. 30 for 30%".to_owned();
    ctx.error(
        &node.span,
        &table.field("foreign_shareholding_pct"),
        message,
        hint,
    );
    None
}

fn contact(ctx: &mut Ctx, table: &Table) -> Option<Contact> {
    table.check_keys(ctx, CONTACT_KEYS);
    let name = table.required_text(ctx, "name", "李娜");
    let phone = table.optional_text(ctx, "phone", "010-62345678");
    let email = match table.get("email") {
        None => Ok(None),
        Some(node) => email(ctx, &table.field("email"), node).map(Some).ok_or(()),
    };
    Some(Contact {
        name: name?,
        phone: phone.ok()?,
        email: email.ok()?,
    })
}

fn email(ctx: &mut Ctx, field: &str, node: &super::node::Node) -> Option<String> {
    let address = text(ctx, field, node, "lina@example.com")?;
    let well_formed = matches!(address.split_once('@'),
        Some((user, domain)) if !user.is_empty() && domain.contains('.') && !address.contains(' '));
    if well_formed {
        return Some(address);
    }
    let message = format!("\"{address}\" is not an email address");
    ctx.error(
        &node.span,
        field,
        message,
        "write it like lina@example.com".into(),
    );
    None
}
