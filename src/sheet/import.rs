//! Turns the valid clients of a book into company files in a folder, one per company, named
//! like its packet folder; each file is the text the book was checked as, every value
//! commented with the cell it came from. A file changed since is never replaced silently.

use std::path::{Path, PathBuf};

use super::Book;
use crate::output::{company_dir_name, write_atomic, OutputError, WriteOutcome};

/// What happened to one client of the book.
#[derive(Debug)]
pub enum Imported {
    Written(PathBuf, WriteOutcome),
    /// The client is invalid (its errors are in [`Book::diagnostics`]).
    Invalid(String),
    Refused(OutputError),
}

/// Writes every valid client of `book` into `out` (created when missing).
pub fn import(book: &Book, out: &Path, force: bool) -> Vec<Imported> {
    book.clients
        .iter()
        .map(|client| match &client.company {
            Ok(company) => {
                let path = out.join(format!("{}.toml", company_dir_name(company)));
                match write_atomic(&path, client.toml.as_bytes(), force) {
                    Ok(outcome) => Imported::Written(path, outcome),
                    Err(e) => Imported::Refused(e),
                }
            }
            Err(_) => Imported::Invalid(client.label.clone()),
        })
        .collect()
}
