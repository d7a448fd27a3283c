//! Turns the valid clients of a book into company files in a folder, one per company, named
//! like its packet folder; each file is the text the book was checked as, every value
//! commented with the cell it came from. A file changed since is never replaced silently.
//! A client's 材料文件夹 goes into the file as `[client] materials_folder`, relative to the
//! file where it can be, so `batch` and `dossier` still find the folder.

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
                let text = match &client.materials {
                    Some(folder) => with_materials_folder(&client.toml, folder, out),
                    None => client.toml.clone(),
                };
                match write_atomic(&path, text.as_bytes(), force) {
                    Ok(outcome) => Imported::Written(path, outcome),
                    Err(e) => Imported::Refused(e),
                }
            }
            Err(_) => Imported::Invalid(client.label.clone()),
        })
        .collect()
}

/// The company file text with `[client] materials_folder` naming `folder` as seen from `out`.
fn with_materials_folder(toml: &str, folder: &Path, out: &Path) -> String {
    let shown = relative_to(folder, out)
        .to_string_lossy()
        .replace('\\', "/");
    let value = toml::Value::String(shown);
    format!(
        "{}\n[client]\n# 材料文件夹, relative to this file: batch and dossier read the scans from it\nmaterials_folder = {value}\n",
        toml.trim_end()
    )
}

/// `target` as a path from the folder `base` (`../scans/a`), or absolute when the two share
/// no root (another drive on Windows).
fn relative_to(target: &Path, base: &Path) -> PathBuf {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (target, base) = (absolute(target), absolute(base));
    let (t, b): (Vec<_>, Vec<_>) = (target.components().collect(), base.components().collect());
    let common = t.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return target;
    }
    let mut path: PathBuf = b[common..].iter().map(|_| "..").collect();
    path.extend(&t[common..]);
    if path.as_os_str().is_empty() {
        path.push(".");
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_named_from_the_output_folder() {
        assert_eq!(
            relative_to(Path::new("/a/book/scans/one"), Path::new("/a/out")),
            Path::new("../book/scans/one")
        );
        assert_eq!(
            relative_to(Path::new("/a/out/x"), Path::new("/a/out")),
            Path::new("x")
        );
        assert_eq!(
            relative_to(Path::new("/a"), Path::new("/a")),
            Path::new(".")
        );
    }

    #[test]
    fn the_folder_is_a_client_table_at_the_end() {
        let text = with_materials_folder(
            "[company]\nname = \"x\"\n\n",
            Path::new("/b/资料 \"一\""),
            Path::new("/b/out"),
        );
        let parsed: toml::Table = text.parse().unwrap();
        assert_eq!(
            parsed["client"]["materials_folder"].as_str(),
            Some("../资料 \"一\"")
        );
    }
}
