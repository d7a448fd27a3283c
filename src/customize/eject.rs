//! Turns built-in library files into files in a user directory, ready to edit. Every target is
//! checked before anything is written, so a refused eject writes nothing.

use std::path::{Path, PathBuf};

use crate::library::{Library, LibraryFile};
use crate::output::{write_atomic, OutputError, WriteOutcome};

#[derive(Debug, thiserror::Error)]
pub enum EjectError {
    #[error("no built-in template or catalog file is called `{name}`{hint}")]
    Unknown { name: String, hint: String },
    #[error("{} already exist with different content: {}; use --force to replace them",
        if paths.len() == 1 { "1 file" } else { "files" },
        paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
    Exists { paths: Vec<PathBuf> },
    #[error(transparent)]
    Write(#[from] OutputError),
}

/// One file written (or found identical) by an eject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ejected {
    pub name: String,
    pub path: PathBuf,
    pub outcome: WriteOutcome,
}

/// Copies the built-in file `name` — or every built-in file under the folder `name`, or all
/// of them when `name` is `None` — into `to`, keeping the library's relative paths.
pub fn eject(
    library: &Library,
    name: Option<&str>,
    to: &Path,
    force: bool,
) -> Result<Vec<Ejected>, EjectError> {
    let chosen = select(library, name)?;
    if !force {
        let clashes: Vec<PathBuf> = chosen
            .iter()
            .filter(|f| std::fs::read(to.join(&f.name)).is_ok_and(|old| old != f.text.as_bytes()))
            .map(|f| to.join(&f.name))
            .collect();
        if !clashes.is_empty() {
            return Err(EjectError::Exists { paths: clashes });
        }
    }
    chosen
        .into_iter()
        .map(|f| {
            let path = to.join(&f.name);
            let outcome = write_atomic(&path, f.text.as_bytes(), force)?;
            Ok(Ejected {
                name: f.name.clone(),
                path,
                outcome,
            })
        })
        .collect()
}

fn select<'a>(
    library: &'a Library,
    name: Option<&str>,
) -> Result<Vec<&'a LibraryFile>, EjectError> {
    let Some(name) = name else {
        return Ok(library.builtin_files().collect());
    };
    let name = name.trim_start_matches("./").trim_end_matches('/');
    if let Some(file) = library.get_builtin(name) {
        return Ok(vec![file]);
    }
    let folder = format!("{name}/");
    let under: Vec<_> = library
        .builtin_files()
        .filter(|f| f.name.starts_with(&folder))
        .collect();
    if !under.is_empty() {
        return Ok(under);
    }
    // A bare file name (`renewal.toml`) is enough when it is unique.
    let by_file: Vec<_> = library
        .builtin_files()
        .filter(|f| f.name.rsplit('/').next() == Some(name))
        .collect();
    if by_file.len() == 1 {
        return Ok(by_file);
    }
    let names = library.builtin_files().map(|f| f.name.as_str());
    let hint = crate::diag::did_you_mean(name, names)
        .map(|close| format!("; did you mean `{close}`?"))
        .unwrap_or_else(|| "; `licpack templates list` shows every name".into());
    Err(EjectError::Unknown {
        name: name.to_string(),
        hint,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eject_one_then_refuse_a_changed_copy() {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::builtin();
        let done = eject(&lib, Some("renewal.toml"), dir.path(), false).unwrap();
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].name, "catalog/procedures/renewal.toml");
        // Identical content: nothing to refuse.
        eject(
            &lib,
            Some("catalog/procedures/renewal.toml"),
            dir.path(),
            false,
        )
        .unwrap();
        std::fs::write(&done[0].path, "changed").unwrap();
        let err = eject(&lib, None, dir.path(), false).unwrap_err();
        assert!(matches!(err, EjectError::Exists { .. }), "{err}");
        assert_eq!(std::fs::read_to_string(&done[0].path).unwrap(), "changed");
        eject(&lib, Some("catalog/procedures"), dir.path(), true).unwrap();
        assert_ne!(std::fs::read_to_string(&done[0].path).unwrap(), "changed");
    }

    #[test]
    fn unknown_name_suggests() {
        let dir = tempfile::tempdir().unwrap();
        let err = eject(
            &Library::builtin(),
            Some("catalog/procedures/renewel.toml"),
            dir.path(),
            false,
        )
        .unwrap_err();
        assert!(err.to_string().contains("renewal.toml"), "{err}");
    }
}
