//! The upload rules of an authority, as catalog data (`templates/catalog/submission.toml`):
//! a default from the guides of `domain.md` §12, which a province's own entry replaces field
//! by field without a code change.

use serde::Serialize;

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
        }
    }
}
