//! Turns a [`Catalog`] into the service × procedure matrix: for each cell whether the
//! procedure applies to a licence of that service, why (catalog data), and how many
//! materials its checklist has before company-specific conditions. Printed by
//! `licpack catalog` and kept in the README's "Supported services and procedures" section.

use serde::Serialize;

use super::{Catalog, Condition, Procedure, Service, Text};

/// One cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub service: String,
    pub procedure: String,
    pub applicable: bool,
    /// English reason (the JSON contract); `reason_zh` carries the Chinese.
    pub reason: String,
    pub reason_zh: String,
    /// Materials that always apply to this service's licence (conditions on foreign
    /// investment, region, scope or failure reasons left out); `None` when not applicable.
    pub materials: Option<usize>,
}

/// All cells, services outer, procedures inner (catalog order).
pub fn matrix(catalog: &Catalog) -> Vec<Cell> {
    catalog
        .services
        .iter()
        .flat_map(|s| catalog.procedures.iter().map(move |p| cell(s, p)))
        .collect()
}

fn cell(service: &Service, procedure: &Procedure) -> Cell {
    let verdict = procedure.verdict_for_service(&service.id);
    let Text { zh, en } = verdict.reason;
    Cell {
        service: service.id.clone(),
        procedure: procedure.id.clone(),
        applicable: verdict.applicable,
        reason: en,
        reason_zh: zh,
        materials: verdict
            .applicable
            .then(|| base_materials(service, procedure)),
    }
}

/// Materials whose condition holds for any company with a licence of `service` alone.
pub fn base_materials(service: &Service, procedure: &Procedure) -> usize {
    let unconditional = |w: &Condition| {
        w.foreign_invested.is_none()
            && w.scope.is_none()
            && w.failure_reasons_any.is_empty()
            && w.regions_any.is_empty()
            && w.overdue.is_none()
            && w.service_class.is_none_or(|c| c == service.class)
            && (w.services_any.is_empty() || w.services_any.contains(&service.id))
    };
    let own = procedure
        .materials
        .iter()
        .filter(|m| unconditional(&m.when));
    let extra = service
        .materials
        .iter()
        .filter(|_| procedure.include_service_materials)
        .filter(|m| unconditional(&m.when))
        .filter(|m| !procedure.materials.iter().any(|p| p.id == m.id));
    own.count() + extra.count()
}

/// The matrix as a plain-text table: procedures down, services across; a cell shows the
/// base material count, or `-` where the procedure does not apply.
pub fn to_text(catalog: &Catalog) -> String {
    let cells = matrix(catalog);
    let width = catalog
        .procedures
        .iter()
        .map(|p| p.id.len())
        .max()
        .unwrap_or(0);
    let mut out = format!("{:width$}", "");
    for s in &catalog.services {
        out.push_str(&format!(" {:>w$}", s.id, w = s.id.len().max(3)));
    }
    out.push('\n');
    for p in &catalog.procedures {
        out.push_str(&format!("{:width$}", p.id));
        for s in &catalog.services {
            let c = find(&cells, &s.id, &p.id);
            let v = c.materials.map_or("-".to_string(), |n| n.to_string());
            out.push_str(&format!(" {:>w$}", v, w = s.id.len().max(3)));
        }
        out.push('\n');
    }
    out
}

fn find<'a>(cells: &'a [Cell], service: &str, procedure: &str) -> &'a Cell {
    cells
        .iter()
        .find(|c| c.service == service && c.procedure == procedure)
        // `cells` is built above from the same two lists, one cell per (service, procedure).
        .expect("the matrix has every cell")
}

/// The README section: services, procedures with why/why not, and the matrix.
pub fn to_markdown(catalog: &Catalog) -> String {
    let cells = matrix(catalog);
    let mut out = String::from(
        "Generated from the built-in catalog (`templates/catalog/`); a test keeps it in step.\n\
         Cells give the number of checklist materials that apply to every licence of the\n\
         service (conditional items such as foreign-investment or failure-reason evidence\n\
         come on top); `—` means the procedure does not apply and `generate` refuses it.\n\n",
    );
    out.push_str("| Service | Code | 中文 |\n|---|---|---|\n");
    for s in &catalog.services {
        out.push_str(&format!("| `{}` | {} | {} |\n", s.id, s.code, s.name.zh));
    }
    out.push_str("\n| Procedure | 中文 | Applies to | Handled by |\n|---|---|---|---|\n");
    for p in &catalog.procedures {
        let applies = if p.applies.services.is_empty() {
            "every service".to_string()
        } else {
            p.applies.services.join(", ")
        };
        let scope = match p.applies.scope {
            Some(super::Scope::Nationwide) => " (nationwide licence)",
            Some(super::Scope::Provincial) => " (provincial licence)",
            None => "",
        };
        let by = match p.handled_by {
            super::HandledBy::Issuer => "issuing authority",
            super::HandledBy::National => "MIIT",
            super::HandledBy::Provincial => "provincial CA",
            super::HandledBy::Carrier => "carrier (not a licensing step)",
        };
        out.push_str(&format!(
            "| `{}` | {} | {applies}{scope} | {by} |\n",
            p.id, p.name.zh
        ));
    }
    out.push_str("\n| procedure \\ service |");
    for s in &catalog.services {
        out.push_str(&format!(" {} |", s.id));
    }
    out.push_str("\n|---|");
    out.push_str(&"--:|".repeat(catalog.services.len()));
    out.push('\n');
    for p in &catalog.procedures {
        out.push_str(&format!("| `{}` |", p.id));
        for s in &catalog.services {
            let c = find(&cells, &s.id, &p.id);
            let v = c.materials.map_or("—".to_string(), |n| n.to_string());
            out.push_str(&format!(" {v} |"));
        }
        out.push('\n');
    }
    out
}
