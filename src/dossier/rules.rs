//! The upload rules of an authority, as catalog data (`templates/catalog/submission.toml`):
//! a default from the guides of `domain.md` §12, which a province's own entry replaces field
//! by field without a code change. The data and the merge live in `catalog::submission`;
//! this is the merged result one packet's steps read.

use serde::Serialize;

use crate::catalog::submission::RuleSet;
use crate::catalog::Confidence;

/// What the online system (电信业务市场综合管理信息系统) accepts in one slot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UploadRules {
    /// Up to this many images are uploaded one by one; more go into one PDF (S96).
    pub max_images_per_slot: usize,
    /// Each uploaded file at most this many bytes ("5M", S96: 5 × 1024 × 1024).
    pub max_file_bytes: u64,
    /// Image formats a slot takes, lowercase extensions (jpg, jpeg, gif).
    pub image_formats: Vec<String>,
    /// Below this resolution on A4 a page is reported (agency practice).
    pub min_dpi: u32,
    /// A letter signed more than this many days before submission is flagged (S97, practice).
    pub letter_max_age_days: u32,
    /// Where the rules come from (source keys of `sources.toml`).
    pub source: String,
    /// How sure the letter-age rule is: agency practice (S97), so flagged as such.
    pub letter_age_confidence: Confidence,
}

impl Default for UploadRules {
    fn default() -> Self {
        UploadRules {
            max_images_per_slot: 10,
            max_file_bytes: 5 * 1024 * 1024,
            image_formats: vec!["jpg".into(), "jpeg".into(), "gif".into()],
            min_dpi: 150,
            letter_max_age_days: 10,
            source: "S96 S97".into(),
            letter_age_confidence: Confidence::L,
        }
    }
}

impl UploadRules {
    /// The rules of a merged catalog rule set; a field the data leaves out keeps the value of
    /// [`UploadRules::default`] (the same §12 figures), so a user's partial file still works.
    pub fn from_catalog(set: &RuleSet) -> UploadRules {
        let base = UploadRules::default();
        let mut keys: Vec<&str> = Vec::new();
        for (_, source) in set.sources() {
            for key in source.split_whitespace() {
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }
        let value = |r: &Option<crate::catalog::submission::Sourced<u32>>, base: u32| {
            r.as_ref().map_or(base, |r| r.value)
        };
        UploadRules {
            max_images_per_slot: set
                .max_images_per_slot
                .as_ref()
                .map_or(base.max_images_per_slot, |r| r.value),
            max_file_bytes: set
                .max_file_bytes
                .as_ref()
                .map_or(base.max_file_bytes, |r| r.value),
            image_formats: set
                .image_formats
                .as_ref()
                .map_or(base.image_formats, |r| r.value.clone()),
            min_dpi: value(&set.min_dpi, base.min_dpi),
            letter_max_age_days: value(&set.letter_max_age_days, base.letter_max_age_days),
            source: if keys.is_empty() {
                base.source
            } else {
                keys.join(" ")
            },
            letter_age_confidence: set
                .letter_age_confidence()
                .unwrap_or(base.letter_age_confidence),
        }
    }
}
