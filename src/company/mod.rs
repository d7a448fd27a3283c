//! Turns a company TOML file (the schema of `DESIGN.md` §2) into a validated [`Company`], or
//! into located diagnostics: file, line, field, and what would fix it.

mod fields;
mod license;
mod load;
mod materials;
mod node;
mod numbers;
mod procedure;
mod suggest;
#[cfg(test)]
mod test_catalog;
pub mod uscc;
mod validate;

pub(crate) use load::looks_like_gbk;
pub use load::{load, parse};

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

use crate::catalog::Scope;

/// A validated company file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Company {
    /// The file it was read from (for messages and batch summaries).
    pub source: PathBuf,
    pub info: CompanyInfo,
    pub licenses: Vec<License>,
    pub procedures: Vec<ProcedureRequest>,
    /// Material id → status, from `[materials]`.
    pub materials: BTreeMap<String, MaterialStatus>,
    /// Numbering resources (`[[number]]`): held or applied for.
    pub numbers: Vec<NumberEntry>,
    /// The client's materials folder named by `[client] materials_folder`, resolved against
    /// the company file's folder (what `licpack import` writes for a book's 材料文件夹
    /// column). Not template data: a path on this machine.
    #[serde(skip)]
    pub materials_folder: Option<PathBuf>,
}

/// One `[[number]]` entry: a 95/96 number or 106 code, held or applied for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NumberEntry {
    /// Catalog number-kind id (`95`, `96`, `106`).
    pub kind: String,
    /// The number, once allocated.
    pub number: Option<String>,
    /// The licence it is used under (always matches a [`License`]).
    pub license: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompanyInfo {
    pub name: String,
    pub name_en: Option<String>,
    /// 统一社会信用代码, 18 characters, check character verified.
    pub uscc: String,
    pub legal_rep: String,
    pub legal_rep_en: Option<String>,
    pub address: String,
    pub address_en: Option<String>,
    /// Catalog region id (aliases such as `北京` are normalised to `beijing`).
    pub province: String,
    /// CNY.
    pub registered_capital: u64,
    /// 0–100.
    pub foreign_shareholding_pct: f64,
    pub contact: Option<Contact>,
    /// Years whose annual report has been filed, when the file says (pre-flight checks).
    pub annual_reports_filed: Option<Vec<i32>>,
    /// Catalog procedure ids of changes made but not yet filed with the authority.
    pub pending_changes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contact {
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// One licence certificate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct License {
    pub number: String,
    pub scope: Scope,
    /// Catalog service ids.
    pub services: Vec<String>,
    pub issued: NaiveDate,
    pub expires: NaiveDate,
    /// Services actually opened, when the file says (renewal renews only those).
    pub services_opened: Option<Vec<String>>,
}

/// One `[[procedure]]` entry: a packet to produce.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProcedureRequest {
    /// Catalog procedure id (`renewal`, `legal-rep-change`, `reapplication`, …).
    pub kind: String,
    /// The licence number it concerns (always matches a [`License`]).
    pub license: String,
    pub previous_legal_rep: Option<String>,
    /// Registered capital in yuan before a capital change (the new one is the company's).
    pub previous_registered_capital: Option<u64>,
    pub registration_change_date: Option<NaiveDate>,
    pub failure_date: Option<NaiveDate>,
    /// Catalog failure-reason ids.
    pub failure_reasons: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MaterialState {
    Ready,
    Missing,
    NotApplicable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MaterialStatus {
    pub state: MaterialState,
    pub note: Option<String>,
}

impl Company {
    pub fn license(&self, number: &str) -> Option<&License> {
        self.licenses.iter().find(|l| l.number == number)
    }

    /// The `[[number]]` entries used under licence `number`.
    pub fn numbers_of(&self, license: &str) -> Vec<&NumberEntry> {
        self.numbers
            .iter()
            .filter(|n| n.license == license)
            .collect()
    }

    /// English name, falling back to the Chinese one.
    pub fn name_en(&self) -> &str {
        self.info.name_en.as_deref().unwrap_or(&self.info.name)
    }
}
