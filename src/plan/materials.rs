//! Turns a procedure's materials (plus, where the procedure asks for them, the licence's
//! service-specific materials) into the numbered list that applies to this company, with the
//! status recorded in the company file.

use serde::Serialize;

use crate::catalog::{Condition, Material, Procedure, Service};
use crate::company::{Company, License, MaterialStatus, ProcedureRequest};

/// One numbered line of the checklist.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedMaterial<'a> {
    /// 1-based.
    pub number: usize,
    pub material: &'a Material,
    pub status: Option<&'a MaterialStatus>,
    /// What the client's materials folder holds for it (`generate --materials`, a batch
    /// client with a materials folder): the checklist shows this instead of `status`.
    /// `None` without a folder.
    pub found: Option<crate::dossier::FolderStatus>,
}

/// What conditions are evaluated against.
pub struct Facts<'a, 'b> {
    pub company: &'a Company,
    pub license: &'a License,
    pub request: &'a ProcedureRequest,
    pub services: &'b [&'a Service],
    /// A deadline of this packet has been missed.
    pub overdue: bool,
}

/// The materials that apply, numbered, each material id once.
pub fn select<'a>(facts: &Facts<'a, '_>, procedure: &'a Procedure) -> Vec<PlannedMaterial<'a>> {
    let service_materials = facts
        .services
        .iter()
        .filter(|_| procedure.include_service_materials)
        .flat_map(|s| s.materials.iter());
    let mut seen = std::collections::HashSet::new();
    procedure
        .materials
        .iter()
        .chain(service_materials)
        .filter(|m| applies(&m.when, facts))
        .filter(|m| seen.insert(m.id.as_str()))
        .enumerate()
        .map(|(i, material)| PlannedMaterial {
            number: i + 1,
            material,
            status: facts.company.materials.get(&material.id),
            found: None,
        })
        .collect()
}

/// Whether every part of `when` holds for these facts.
pub fn applies(when: &Condition, f: &Facts) -> bool {
    let foreign = f.company.info.foreign_shareholding_pct > 0.0;
    let region_ok =
        when.regions_any.is_empty() || when.regions_any.contains(&f.company.info.province);
    let class_ok = when
        .service_class
        .is_none_or(|c| f.services.iter().any(|s| s.class == c));
    let listed =
        |ids: &[String], among: &[String]| ids.is_empty() || ids.iter().any(|s| among.contains(s));
    region_ok
        && class_ok
        && when.overdue.is_none_or(|o| o == f.overdue)
        && when.foreign_invested.is_none_or(|x| x == foreign)
        && when.scope.is_none_or(|s| s == f.license.scope)
        && listed(&when.services_any, &f.license.services)
        && listed(&when.failure_reasons_any, &f.request.failure_reasons)
}
