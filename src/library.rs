//! Turns "a template or catalog file by name" into its text and origin: the built-in files
//! under `templates/` are embedded in the binary, and a user directory is layered over them
//! file by file. This is the one place that answers "where did this file come from?" — for
//! rendering, for the catalog and for `templates list` alike.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Prefix under which a built-in file stays reachable when a user file overrides it, so that
/// a user template can `{% extends "builtin:documents/base.md.tera" %}`.
pub const BUILTIN_PREFIX: &str = "builtin:";

/// Files a template directory may hold beside the library (fonts named in style.toml, a
/// logo): not templates, so not read as text.
const ASSET_SUFFIXES: &[&str] = &[".ttf", ".otf", ".ttc", ".png", ".jpg", ".jpeg", ".pdf"];

/// Where a file's text came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Builtin,
    /// The user's file on disk.
    User(PathBuf),
}

/// One file of the library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryFile {
    /// Forward-slash path relative to the library root, e.g. `catalog/regions.toml`.
    pub name: String,
    pub origin: Origin,
    pub text: String,
}

impl LibraryFile {
    /// The path to show in messages: the user's file, or `<built-in>/name`.
    pub fn display_path(&self) -> PathBuf {
        match &self.origin {
            Origin::Builtin => PathBuf::from(format!("<built-in>/{}", self.name)),
            Origin::User(p) => p.clone(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error("cannot read template directory {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not UTF-8 text")]
    NotUtf8 { path: PathBuf },
}

/// The built-in files with an optional user directory over them.
#[derive(Debug, Clone)]
pub struct Library {
    files: BTreeMap<String, LibraryFile>,
    builtins: BTreeMap<String, LibraryFile>,
}

impl Library {
    /// Only the built-in files.
    pub fn builtin() -> Library {
        let mut builtins = BTreeMap::new();
        collect_builtin(&BUILTIN, &mut builtins);
        Library {
            files: builtins.clone(),
            builtins,
        }
    }

    /// The built-ins with every file under `dir` layered over them.
    pub fn with_user_dir(dir: &Path) -> Result<Library, LibraryError> {
        let mut lib = Library::builtin();
        let mut user = Vec::new();
        collect_user(dir, dir, &mut user)?;
        for file in user {
            lib.files.insert(file.name.clone(), file);
        }
        Ok(lib)
    }

    /// Whether any file comes from a user directory.
    pub fn is_customised(&self) -> bool {
        self.files
            .values()
            .any(|f| matches!(f.origin, Origin::User(_)))
    }

    /// A file by name; `builtin:NAME` always gives the built-in one.
    pub fn get(&self, name: &str) -> Option<&LibraryFile> {
        match name.strip_prefix(BUILTIN_PREFIX) {
            Some(rest) => self.builtins.get(rest),
            None => self.files.get(name),
        }
    }

    /// Every file (user files replace built-ins of the same name), sorted by name.
    pub fn files(&self) -> impl Iterator<Item = &LibraryFile> {
        self.files.values()
    }

    /// Files whose name starts with `prefix` (e.g. `catalog/procedures/`).
    pub fn files_under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a LibraryFile> {
        self.files
            .values()
            .filter(move |f| f.name.starts_with(prefix))
    }

    /// The built-in file `name`, whether or not a user file overrides it.
    pub fn get_builtin(&self, name: &str) -> Option<&LibraryFile> {
        self.builtins.get(name)
    }

    /// The built-in files only (for `templates eject`).
    pub fn builtin_files(&self) -> impl Iterator<Item = &LibraryFile> {
        self.builtins.values()
    }
}

fn collect_builtin(dir: &Dir<'static>, out: &mut BTreeMap<String, LibraryFile>) {
    for file in dir.files() {
        let name = file.path().to_string_lossy().replace('\\', "/");
        // Built-in files are checked to be UTF-8 by the tests below.
        let text = String::from_utf8_lossy(file.contents()).into_owned();
        out.insert(
            name.clone(),
            LibraryFile {
                name,
                origin: Origin::Builtin,
                text,
            },
        );
    }
    for sub in dir.dirs() {
        collect_builtin(sub, out);
    }
}

fn collect_user(root: &Path, dir: &Path, out: &mut Vec<LibraryFile>) -> Result<(), LibraryError> {
    let io = |source| LibraryError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            collect_user(root, &path, out)?;
            continue;
        }
        let file_name = entry.file_name().to_string_lossy().to_lowercase();
        let is_asset = ASSET_SUFFIXES.iter().any(|s| file_name.ends_with(s));
        if file_name.starts_with('.') || is_asset {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|source| LibraryError::Io {
            path: path.clone(),
            source,
        })?;
        let text =
            String::from_utf8(bytes).map_err(|_| LibraryError::NotUtf8 { path: path.clone() })?;
        let rel = path.strip_prefix(root).unwrap_or(&path);
        let name = rel.to_string_lossy().replace('\\', "/");
        out.push(LibraryFile {
            name,
            origin: Origin::User(path),
            text,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_are_utf8_and_reachable_by_prefix() {
        let lib = Library::builtin();
        for f in lib.builtin_files() {
            assert!(
                !f.text.contains('\u{FFFD}'),
                "{} is not clean UTF-8",
                f.name
            );
            assert!(lib.get(&format!("{BUILTIN_PREFIX}{}", f.name)).is_some());
        }
    }

    #[test]
    fn user_file_overrides_builtin_by_name() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("catalog")).unwrap();
        std::fs::write(dir.path().join("catalog/extra.toml"), "x = 1").unwrap();
        let lib = Library::with_user_dir(dir.path()).unwrap();
        let f = lib.get("catalog/extra.toml").unwrap();
        assert!(matches!(f.origin, Origin::User(_)));
        assert_eq!(f.text, "x = 1");
    }
}
