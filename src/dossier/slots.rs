//! Turns a packet plan into the dossier's slots: one per material that applies, numbered as
//! on the checklist, with what the authority needs of it.

use chrono::NaiveDate;
use serde::Serialize;

use crate::catalog::submission::MIIT;
use crate::catalog::{Catalog, Text};
use crate::plan::PacketPlan;

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

impl DossierPlan {
    /// The dossier's view of `packet`: its materials as slots (a letter slot is a material
    /// whose id is one of the packet's letters), the upload rules of the authority it is
    /// filed with, and `date` as the submission date.
    pub fn from_packet(packet: &PacketPlan, catalog: &Catalog, date: NaiveDate) -> DossierPlan {
        let letters: Vec<&str> = packet.letters.iter().map(|l| l.id.as_str()).collect();
        let slots = packet
            .materials
            .iter()
            .map(|planned| {
                let material = planned.material;
                Slot {
                    number: planned.number,
                    id: material.id.clone(),
                    name: material.name.clone(),
                    aliases: material.aliases.clone(),
                    colour_required: material.colour_scan,
                    copy: material.copy,
                    letter: letters.contains(&material.id.as_str()),
                }
            })
            .collect();
        let rules = catalog
            .submission
            .rules_for(&authority_key(packet, catalog));
        DossierPlan {
            company: packet.company.info.name.clone(),
            uscc: packet.company.info.uscc.clone(),
            license: packet.license.number.clone(),
            procedure: packet.procedure.name.clone(),
            authority: packet.authority.clone(),
            date,
            slots,
            rules: UploadRules::from_catalog(&rules),
            file_stem: packet.file_stem.clone(),
        }
    }
}

/// The `submission.toml` key of the authority `packet` is filed with: `miit` for the
/// ministry, else the region whose administration it is.
fn authority_key(packet: &PacketPlan, catalog: &Catalog) -> String {
    if packet.authority == catalog.national_authority {
        MIIT.to_string()
    } else {
        catalog
            .regions
            .iter()
            .find(|r| r.authority == packet.authority)
            .unwrap_or(packet.region)
            .id
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::fixtures;

    #[test]
    fn slots_follow_the_checklist_and_mark_the_packets_letters() {
        let company = fixtures::company();
        let catalog = fixtures::catalog();
        let date = fixtures::date("2026-11-25");
        let plans = crate::plan::plan(&company, &catalog, date, &Default::default()).unwrap();
        let packet = &plans[0];
        let dossier = DossierPlan::from_packet(packet, &catalog, date);
        assert_eq!(dossier.slots.len(), packet.materials.len());
        for (slot, planned) in dossier.slots.iter().zip(&packet.materials) {
            assert_eq!(slot.number, planned.number);
            assert_eq!(slot.id, planned.material.id);
            let is_letter = packet.letters.iter().any(|l| l.id == slot.id);
            assert_eq!(slot.letter, is_letter, "{}", slot.id);
        }
        assert_eq!(dossier.file_stem, packet.file_stem);
        assert_eq!(dossier.date, date);
    }

    #[test]
    fn the_builtin_renewal_has_its_letters_as_letter_slots_and_the_default_rules() {
        let catalog = crate::catalog::builtin();
        let text = include_str!("../../samples/callcenter-renewal.toml");
        let path = std::path::Path::new("callcenter-renewal.toml");
        let company = crate::company::parse(text, path, catalog).expect("valid company");
        let date = fixtures::date("2026-11-25");
        let plans = crate::plan::plan(&company, catalog, date, &Default::default()).unwrap();
        let dossier = DossierPlan::from_packet(&plans[0], catalog, date);
        let slot = |id: &str| dossier.slots.iter().find(|s| s.id == id).expect(id);
        assert!(slot("commitment-lawful").letter);
        assert!(!slot("business-license-copy").letter);
        assert_eq!(slot("business-license-copy").aliases, ["营业执照"]);
        assert!(slot("business-license-copy").copy);
        assert_eq!(dossier.rules.max_file_bytes, 5_242_880);
    }
}
