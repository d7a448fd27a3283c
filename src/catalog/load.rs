//! Reads and cross-checks the catalog files. STUB: to be implemented.

use super::Catalog;
use crate::diag::Diagnostics;
use crate::library::Library;

/// Loads the catalog from `library` (built-ins with any user overrides).
pub fn load(library: &Library) -> Result<Catalog, Diagnostics> {
    let _ = library;
    Err(Diagnostics(Vec::new()))
}
