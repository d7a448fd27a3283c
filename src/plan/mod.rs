//! Turns a [`Company`] + [`Catalog`] + "today" into [`PacketPlan`]s: for each requested
//! procedure, which licence and authority it concerns, which materials apply (conditions),
//! the deadlines (chrono; in working days from the catalog's calendar where the authority's
//! clock counts them), the letters and any warnings. Nothing here formats text beyond the
//! deadlines' bilingual labels and notes.

mod deadlines;
mod materials;
mod preflight;
mod processing;

#[cfg(test)]
pub(crate) mod fixtures;

pub use deadlines::{Deadline, DeadlineStatus};
pub use materials::PlannedMaterial;
pub(crate) use processing::LAST_DAYS;

use chrono::NaiveDate;

use crate::catalog::{
    Catalog, FailureReason, HandledBy, Letter, Preflight, Procedure, Region, Scope, Service, Text,
};
use crate::company::{Company, License, NumberEntry, ProcedureRequest};

/// Everything needed to write one packet.
#[derive(Debug, Clone)]
pub struct PacketPlan<'a> {
    pub company: &'a Company,
    pub license: &'a License,
    pub request: &'a ProcedureRequest,
    pub procedure: &'a Procedure,
    /// The company's region (its province).
    pub region: &'a Region,
    /// The issuing authority the letters are addressed to.
    pub authority: Text,
    pub services: Vec<&'a Service>,
    /// The `[[number]]` entries used under this licence.
    pub numbers: Vec<&'a NumberEntry>,
    pub materials: Vec<PlannedMaterial<'a>>,
    pub deadlines: Vec<Deadline>,
    pub letters: Vec<&'a Letter>,
    pub failure_reasons: Vec<&'a FailureReason>,
    /// Pre-flight warnings shown at the top of the checklist.
    pub warnings: Vec<Text>,
    pub today: NaiveDate,
    /// `B2-20210001-renewal`: the output file name without extension.
    pub file_stem: String,
}

/// Which packets to plan.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub procedure: Option<String>,
    pub license: Option<String>,
}

/// Why a plan could not be made from a company that passed validation.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    #[error(
        "the file lists no [[procedure]], so there is no packet to make; add one, e.g. \
             [[procedure]] type = \"renewal\" license = \"B2-20210001\" (`licpack catalog` lists \
             the procedures; `licpack deadlines` needs none)"
    )]
    NoProcedures,
    #[error("no [[procedure]] matches the selection{0}; leave out --procedure/--license to make every packet of the file")]
    NothingSelected(String),
    #[error("the catalog has no {what} \"{id}\" (the company file was checked against another catalog?)")]
    MissingInCatalog { what: &'static str, id: String },
    #[error("procedure \"{procedure}\" does not apply to licence {license}: {}", reason.en)]
    NotApplicable {
        procedure: String,
        license: String,
        reason: Text,
    },
}

/// Plans every `[[procedure]]` of `company` that `selection` picks.
pub fn plan<'a>(
    company: &'a Company,
    catalog: &'a Catalog,
    today: NaiveDate,
    selection: &Selection,
) -> Result<Vec<PacketPlan<'a>>, PlanError> {
    let chosen: Vec<_> = company
        .procedures
        .iter()
        .filter(|r| selection.procedure.as_deref().is_none_or(|p| p == r.kind))
        .filter(|r| selection.license.as_deref().is_none_or(|l| l == r.license))
        .collect();
    if company.procedures.is_empty() {
        return Err(PlanError::NoProcedures);
    }
    if chosen.is_empty() {
        let listed: Vec<String> = company
            .procedures
            .iter()
            .map(|r| format!("{} ({})", r.kind, r.license))
            .collect();
        return Err(PlanError::NothingSelected(format!(
            "{}; the file has {}",
            describe(selection),
            listed.join(", ")
        )));
    }
    chosen
        .into_iter()
        .map(|r| plan_one(company, catalog, r, today))
        .collect()
}

fn describe(selection: &Selection) -> String {
    let mut parts = Vec::new();
    if let Some(p) = &selection.procedure {
        parts.push(format!("procedure \"{p}\""));
    }
    if let Some(l) = &selection.license {
        parts.push(format!("licence \"{l}\""));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

fn plan_one<'a>(
    company: &'a Company,
    catalog: &'a Catalog,
    request: &'a ProcedureRequest,
    today: NaiveDate,
) -> Result<PacketPlan<'a>, PlanError> {
    let missing = |what: &'static str, id: &str| PlanError::MissingInCatalog {
        what,
        id: id.to_string(),
    };
    let procedure = catalog
        .procedure(&request.kind)
        .ok_or_else(|| missing("procedure", &request.kind))?;
    let license = company
        .license(&request.license)
        .ok_or_else(|| missing("licence", &request.license))?;
    let region = catalog
        .region(&company.info.province)
        .ok_or_else(|| missing("region", &company.info.province))?;
    let services = license
        .services
        .iter()
        .map(|id| catalog.service(id).ok_or_else(|| missing("service", id)))
        .collect::<Result<Vec<_>, _>>()?;
    let verdict = procedure.verdict_for_licence(&license.services, license.scope);
    if !verdict.applicable {
        return Err(PlanError::NotApplicable {
            procedure: procedure.id.clone(),
            license: license.number.clone(),
            reason: verdict.reason,
        });
    }
    let mut deadlines = deadlines::compute(&procedure.deadline, license, request, today);
    let facts = materials::Facts {
        company,
        license,
        request,
        services: &services,
        overdue: deadlines.iter().any(|d| d.status == DeadlineStatus::Missed),
    };
    let conditional = procedure
        .letters_when
        .iter()
        .filter(|l| materials::applies(&l.when, &facts))
        .map(|l| &l.id);
    let letters = procedure
        .letters
        .iter()
        .chain(conditional)
        .map(|id| catalog.letter(id).ok_or_else(|| missing("letter", id)))
        .collect::<Result<Vec<_>, _>>()?;
    let failure_reasons = request
        .failure_reasons
        .iter()
        .map(|id| {
            procedure
                .failure_reasons
                .iter()
                .find(|f| &f.id == id)
                .ok_or_else(|| missing("failure reason", id))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut warnings = preflight::warnings(catalog, procedure, company, license, today);
    let redirected =
        license.expires < today && procedure.preflight.contains(&Preflight::NotExpired);
    warnings.extend(
        deadlines::warnings(&deadlines, procedure)
            .into_iter()
            // The pre-flight redirect already says the licence expired, and what to do.
            .filter(|w| !(redirected && deadlines::is_expiry_note(w))),
    );
    // After the warnings, which quote only the notes of missed and expired deadlines.
    processing::apply(
        &mut deadlines,
        procedure.review.as_ref(),
        &catalog.calendar,
        today,
    );
    Ok(PacketPlan {
        company,
        license,
        request,
        procedure,
        region,
        authority: handler(catalog, procedure.handled_by, license.scope, region),
        numbers: company.numbers_of(&license.number),
        materials: materials::select(&facts, procedure),
        services,
        deadlines,
        letters,
        failure_reasons,
        warnings,
        today,
        file_stem: format!("{}-{}", license.number, procedure.id),
    })
}

/// Who the packet's letters are addressed to.
fn handler(catalog: &Catalog, by: HandledBy, scope: Scope, region: &Region) -> Text {
    match by {
        HandledBy::Issuer => catalog.authority(scope, region),
        HandledBy::National => catalog.national_authority.clone(),
        HandledBy::Provincial => region.authority.clone(),
        HandledBy::Carrier => catalog.carrier.clone(),
    }
}

impl PacketPlan<'_> {
    /// The nearest deadline that is still a task; a missed one is the nearest of all.
    pub fn next_deadline(&self) -> Option<&Deadline> {
        self.deadlines
            .iter()
            .filter(|d| d.status != DeadlineStatus::Past)
            .min_by_key(|d| d.date)
    }
}
