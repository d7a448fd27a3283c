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
}

/// The materials that apply, numbered, each material id once.
pub fn select<'a>(
    company: &'a Company,
    license: &License,
    request: &ProcedureRequest,
    procedure: &'a Procedure,
    services: &[&'a Service],
) -> Vec<PlannedMaterial<'a>> {
    let service_materials = services
        .iter()
        .filter(|_| procedure.include_service_materials)
        .flat_map(|s| s.materials.iter());
    let mut seen = std::collections::HashSet::new();
    procedure
        .materials
        .iter()
        .chain(service_materials)
        .filter(|m| applies(&m.when, company, license, request, services))
        .filter(|m| seen.insert(m.id.as_str()))
        .enumerate()
        .map(|(i, material)| PlannedMaterial {
            number: i + 1,
            material,
            status: company.materials.get(&material.id),
        })
        .collect()
}

/// Whether every part of `when` holds for this company, licence and request.
pub fn applies(
    when: &Condition,
    company: &Company,
    license: &License,
    request: &ProcedureRequest,
    services: &[&Service],
) -> bool {
    let foreign = company.info.foreign_shareholding_pct > 0.0;
    let region_ok =
        when.regions_any.is_empty() || when.regions_any.contains(&company.info.province);
    let class_ok = when
        .service_class
        .is_none_or(|c| services.iter().any(|s| s.class == c));
    region_ok
        && class_ok
        && when.foreign_invested.is_none_or(|f| f == foreign)
        && when.scope.is_none_or(|s| s == license.scope)
        && (when.services_any.is_empty()
            || when
                .services_any
                .iter()
                .any(|s| license.services.contains(s)))
        && (when.failure_reasons_any.is_empty()
            || when
                .failure_reasons_any
                .iter()
                .any(|r| request.failure_reasons.contains(r)))
}
