//! Loading with spans and validation. STUB: to be implemented.

use std::path::Path;

use super::Company;
use crate::catalog::Catalog;
use crate::diag::{Diagnostic, Diagnostics};

/// Reads and validates the company file at `path`.
pub fn load(path: &Path, catalog: &Catalog) -> Result<Company, Diagnostics> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostics(vec![Diagnostic::new(
            path,
            format!("cannot read the file: {e}"),
        )])
    })?;
    parse(&text, path, catalog)
}

/// Validates company TOML `text`; `path` is used in diagnostics only.
pub fn parse(text: &str, path: &Path, catalog: &Catalog) -> Result<Company, Diagnostics> {
    let _ = (text, catalog);
    Err(Diagnostics(vec![Diagnostic::new(path, "not implemented")]))
}
