//! Turns a packet plan into the dossier's slots: one per material that applies, numbered as
//! on the checklist, with what the authority needs of it.

use chrono::NaiveDate;
use serde::Serialize;

use crate::catalog::Text;

use super::rules::UploadRules;

/// One material of the packet: one upload slot, one part of the bound copy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Slot {
    /// 1-based, as on the checklist.
    pub number: usize,
    /// Catalog material id.
    pub id: String,
    pub name: Text,
    /// Short names a client's file may start with instead of the full name (营业执照).
    pub aliases: Vec<String>,
    /// A colour scan of the original is needed (originals, ID cards, anything sealed).
    pub colour_required: bool,
    /// A copy: the bound pages may be marked 本复印件与原件一致.
    pub copy: bool,
    /// A commitment letter this packet drafts: the signed, sealed scan is expected, never
    /// licpack's own draft, and its signing date is checked.
    pub letter: bool,
}

/// Everything the dossier steps need to know about one packet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DossierPlan {
    pub company: String,
    pub uscc: String,
    pub license: String,
    pub procedure: Text,
    /// The authority the materials are filed with.
    pub authority: Text,
    /// The submission date (`--date`, default today).
    pub date: NaiveDate,
    pub slots: Vec<Slot>,
    pub rules: UploadRules,
    /// `B2-20210001-renewal`: the packet's folder name under the company folder.
    pub file_stem: String,
}
