//! Turns the template library into what a user customizing it needs: a listing of every file
//! with its origin (`templates list`), copies of the built-ins to edit (`templates eject`)
//! and a full check of a user directory against sample companies (`templates check`).

mod check;
mod eject;

pub use check::{builtin_samples, check, CheckReport, Sample, CHECK_DATE};
pub use eject::{eject, EjectError, Ejected};

use std::path::PathBuf;

use crate::library::{Library, Origin};

/// Where a file of the layered library comes from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "origin", content = "path")]
pub enum ListedOrigin {
    Builtin,
    /// A user file that replaces the built-in file of the same name.
    Overridden(PathBuf),
    /// A user file with no built-in counterpart (a new procedure, letter…).
    Added(PathBuf),
}

/// One row of `templates list`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Listed {
    pub name: String,
    #[serde(flatten)]
    pub origin: ListedOrigin,
}

/// Every file of `library`, sorted by name, with where it comes from.
pub fn list(library: &Library) -> Vec<Listed> {
    library
        .files()
        .map(|f| {
            let origin = match &f.origin {
                Origin::Builtin => ListedOrigin::Builtin,
                Origin::User(path) if library.get_builtin(&f.name).is_some() => {
                    ListedOrigin::Overridden(path.clone())
                }
                Origin::User(path) => ListedOrigin::Added(path.clone()),
            };
            Listed {
                name: f.name.clone(),
                origin,
            }
        })
        .collect()
}
