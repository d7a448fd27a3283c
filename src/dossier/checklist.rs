//! The materials folder's facts for the checklist and the batch summary: a packet plan's
//! materials take their state from the client's folder ([`with_folder`], [`apply`]); a
//! status typed in the company file's `[materials]` that the folder contradicts is found
//! ([`contradictions`]); the packet's readiness is counted ([`readiness`]).
//!
//! The facts are [`FolderStatus`] values from matching and inspection alone
//! ([`super::folder_status`]), or from a full dossier run's report ([`from_report`]) when the
//! dossier is being built anyway; they enter the plan typed, and the templates turn them
//! into words.

use std::fmt;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use super::matching::{MatchError, Unmatched};
use super::report::{status_word, Report, Status};
use super::{folder_status, DossierPlan, FolderStatus};
use crate::catalog::Catalog;
use crate::company::MaterialState;
use crate::plan::PacketPlan;

/// Reads `folder` for `packet` (matching and inspection; `date` is the submission date the
/// letters are checked against) and puts each material's state into the plan. Returns the
/// files that belong to no material. Only a folder or manifest that cannot be read is an
/// error; a file's trouble is its material's `problem`.
pub fn with_folder(
    packet: &mut PacketPlan,
    catalog: &Catalog,
    date: NaiveDate,
    folder: &Path,
) -> Result<Vec<Unmatched>, MatchError> {
    let plan = DossierPlan::from_packet(packet, catalog, date);
    let (statuses, unmatched) = folder_status(&plan, folder)?;
    apply(packet, statuses);
    Ok(unmatched)
}

/// Puts `statuses` into the plan's materials, by material id.
pub fn apply(packet: &mut PacketPlan, statuses: Vec<FolderStatus>) {
    for status in statuses {
        if let Some(m) = packet
            .materials
            .iter_mut()
            .find(|m| m.material.id == status.id)
        {
            m.found = Some(status);
        }
    }
}

/// The folder statuses a dossier run found, in plan order: the same facts as
/// [`folder_status`], with the problems normalisation added (over the size limit even after
/// conversion, no usable page).
pub fn from_report(report: &Report) -> Vec<FolderStatus> {
    report
        .materials
        .iter()
        .map(|m| FolderStatus {
            id: m.id.clone(),
            status: m.status,
            files: m.files.iter().map(|f| f.path.clone()).collect(),
            pages: m.files.iter().map(|f| f.pages).sum(),
            reason: if m.status == Status::NotApplicable {
                m.note.clone()
            } else {
                m.files
                    .iter()
                    .flat_map(|f| &f.problems)
                    .chain(&m.problems)
                    .next()
                    .map(|n| n.message.clone())
            },
        })
        .collect()
}

/// A status typed in the company file that the folder says otherwise about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contradiction {
    /// Catalog material id.
    pub id: String,
    /// Its Chinese name, for people.
    pub name: String,
    /// What `[materials]` says.
    pub typed: MaterialState,
    /// What the folder holds.
    pub found: Status,
}

impl fmt::Display for Contradiction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let typed = match self.typed {
            MaterialState::Ready => "ready",
            MaterialState::Missing => "missing",
            MaterialState::NotApplicable => "not-applicable",
        };
        write!(
            f,
            "material \"{}\" ({}) is typed \"{typed}\" in [materials] but the materials folder \
             says \"{}\"; the checklist shows the folder's status",
            self.id,
            self.name,
            status_word(self.found)
        )
    }
}

/// Whether a typed state and the folder's state disagree. They agree when equal, and also
/// when both say "not there" in different words: typed `missing` with a `problem` in the
/// folder (not usable yet), typed `not-applicable` with nothing in the folder.
fn contradicts(typed: MaterialState, found: Status) -> bool {
    !matches!(
        (typed, found),
        (MaterialState::Ready, Status::Ready)
            | (MaterialState::Missing, Status::Missing | Status::Problem)
            | (
                MaterialState::NotApplicable,
                Status::NotApplicable | Status::Missing
            )
    )
}

/// Every material whose typed status the folder contradicts, in checklist order; none
/// without folder facts or typed statuses.
pub fn contradictions(packet: &PacketPlan) -> Vec<Contradiction> {
    packet
        .materials
        .iter()
        .filter_map(|m| {
            let typed = m.status?.state;
            let found = m.found.as_ref()?.status;
            contradicts(typed, found).then(|| Contradiction {
                id: m.material.id.clone(),
                name: m.material.name.zh.clone(),
                typed,
                found,
            })
        })
        .collect()
}

/// A material that is not ready, named for the summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotReady {
    pub id: String,
    /// The Chinese name.
    pub name: String,
    /// What is wrong, for a problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// How far a packet's materials folder is: `ready` of the `total` materials that apply
/// (those marked not applicable are not counted), and what is missing or has problems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Readiness {
    pub ready: usize,
    pub total: usize,
    pub missing: Vec<NotReady>,
    pub problems: Vec<NotReady>,
}

/// The packet's readiness from its folder facts; `None` when the plan has none (no folder).
pub fn readiness(packet: &PacketPlan) -> Option<Readiness> {
    let found: Vec<_> = packet
        .materials
        .iter()
        .filter_map(|m| Some((m, m.found.as_ref()?)))
        .collect();
    if found.is_empty() {
        return None;
    }
    let named = |m: &crate::plan::PlannedMaterial, reason: Option<String>| NotReady {
        id: m.material.id.clone(),
        name: m.material.name.zh.clone(),
        reason,
    };
    let of = |status: Status| found.iter().filter(move |(_, f)| f.status == status);
    Some(Readiness {
        ready: of(Status::Ready).count(),
        total: found
            .iter()
            .filter(|(_, f)| f.status != Status::NotApplicable)
            .count(),
        missing: of(Status::Missing).map(|(m, _)| named(m, None)).collect(),
        problems: of(Status::Problem)
            .map(|(m, f)| named(m, f.reason.clone()))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::company::MaterialStatus;
    use crate::plan::fixtures;

    fn found(id: &str, status: Status) -> FolderStatus {
        FolderStatus {
            id: id.into(),
            status,
            files: Vec::new(),
            pages: 0,
            reason: (status == Status::Problem).then(|| "unreadable".to_string()),
        }
    }

    #[test]
    fn typed_statuses_the_folder_contradicts_are_found_and_agreeing_ones_are_not() {
        use MaterialState as T;
        use Status as F;
        for (typed, folder, expected) in [
            (T::Ready, F::Ready, false),
            (T::Ready, F::Missing, true),
            (T::Ready, F::Problem, true),
            (T::Ready, F::NotApplicable, true),
            (T::Missing, F::Ready, true),
            (T::Missing, F::Missing, false),
            (T::Missing, F::Problem, false),
            (T::Missing, F::NotApplicable, true),
            (T::NotApplicable, F::Ready, true),
            (T::NotApplicable, F::Missing, false),
            (T::NotApplicable, F::Problem, true),
            (T::NotApplicable, F::NotApplicable, false),
        ] {
            assert_eq!(contradicts(typed, folder), expected, "{typed:?} {folder:?}");
        }
    }

    #[test]
    fn the_folder_facts_give_contradictions_and_readiness() {
        let (catalog, company) = (fixtures::catalog(), fixtures::company());
        let date = fixtures::date("2026-11-25");
        let typed = MaterialStatus {
            state: MaterialState::Ready,
            note: None,
        };
        let mut plans = crate::plan::plan(&company, &catalog, date, &Default::default()).unwrap();
        let packet = &mut plans[0];
        assert_eq!(readiness(packet), None, "no folder, no readiness");
        let ids: Vec<String> = packet
            .materials
            .iter()
            .map(|m| m.material.id.clone())
            .collect();
        assert!(ids.len() >= 2, "{ids:?}");
        packet.materials[0].status = Some(&typed);
        let mut statuses = vec![
            found(&ids[0], Status::Problem),
            found(&ids[1], Status::Missing),
        ];
        statuses.extend(ids[2..].iter().map(|id| found(id, Status::Ready)));
        apply(packet, statuses);
        let contradictions = contradictions(packet);
        assert_eq!(contradictions.len(), 1, "{contradictions:?}");
        assert_eq!(contradictions[0].id, ids[0]);
        assert_eq!(contradictions[0].found, Status::Problem);
        let message = contradictions[0].to_string();
        assert!(message.contains("\"ready\"") && message.contains("\"problem\""));
        let r = readiness(packet).unwrap();
        assert_eq!((r.ready, r.total), (ids.len() - 2, ids.len()));
        assert_eq!(r.missing[0].id, ids[1]);
        assert_eq!(r.problems[0].reason.as_deref(), Some("unreadable"));
    }
}
