//! Pairs the files of a client's materials folder with the slots, by the written contract of
//! `docs/dossier.md`: names (minus a leading number) that start with a material's Chinese
//! name, its id or an alias; folders as one material's pages; an optional `materials.toml`
//! manifest. A name that fits two materials is ambiguous; one that fits none is unmatched.
//! Hidden files and OS junk are ignored. Only names are read here; the files are inspected
//! by the next step.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::{DossierPlan, Slot};

/// A file handed over by the client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceFile {
    /// Where to read it.
    #[serde(skip)]
    pub path: PathBuf,
    /// The path relative to the materials folder, `/`-separated, for reports.
    pub display: String,
}

/// What the folder holds for one slot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum SlotMatch {
    /// The files, in page order.
    Files(Vec<SourceFile>),
    /// The manifest marks the material as not applicable.
    NotApplicable {
        note: Option<String>,
    },
    Missing,
}

/// A file that belongs to no slot, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unmatched {
    pub path: String,
    pub reason: String,
}

/// The folder, sorted out: one entry per slot of the plan, in the plan's order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Matching {
    pub slots: Vec<SlotMatch>,
    pub unmatched: Vec<Unmatched>,
}

/// The optional manifest's name inside the materials folder.
pub const MANIFEST: &str = "materials.toml";

/// Names that operating systems and tools leave in folders; never a client's material.
const JUNK: [&str; 3] = [".DS_Store", "Thumbs.db", "desktop.ini"];

/// Why the folder could not be sorted out at all (a file's own trouble is never an error
/// here: it is an unmatched entry or a problem found later).
#[derive(Debug, thiserror::Error)]
pub enum MatchError {
    #[error("{path}: the materials folder cannot be read: {source}; check the path given to --materials")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Manifest(Box<crate::diag::Diagnostic>),
}

/// `materials.toml`: files assigned by hand, materials that do not apply.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestFile {
    /// Path relative to the folder (a file or a folder) → material id.
    #[serde(default)]
    files: BTreeMap<String, Spanned<String>>,
    /// Material id → a note saying why it does not apply.
    #[serde(default)]
    not_applicable: BTreeMap<String, Spanned<String>>,
}

/// The manifest, checked against the folder.
#[derive(Debug, Default)]
struct Manifest {
    /// Display path → material id.
    files: BTreeMap<String, String>,
    not_applicable: BTreeMap<String, String>,
}

/// One entry directly in the folder: a file, or a folder of pages.
#[derive(Debug, Clone)]
struct Entry {
    name: String,
    /// The files it stands for, in page order (one for a file).
    files: Vec<SourceFile>,
    is_folder: bool,
}

/// Sorts the files of `dir` into the slots of `plan`, by the contract of `docs/dossier.md`.
/// Reads names only; the files themselves are inspected later.
pub fn match_folder(dir: &Path, plan: &DossierPlan) -> Result<Matching, MatchError> {
    let manifest = read_manifest(dir)?;
    let entries = list_entries(dir)?;
    let mut slots: Vec<Vec<SourceFile>> = vec![Vec::new(); plan.slots.len()];
    let mut unmatched = Vec::new();
    for entry in entries {
        match place(&entry, plan, &manifest) {
            Ok(index) => slots[index].extend(entry.files),
            Err(reason) => unmatched.push(Unmatched {
                path: display_entry(&entry),
                reason,
            }),
        }
    }
    let slots = plan
        .slots
        .iter()
        .zip(slots)
        .map(|(slot, mut files)| {
            if let Some(note) = manifest.not_applicable.get(&slot.id) {
                let note = Some(note.clone()).filter(|n| !n.trim().is_empty());
                return SlotMatch::NotApplicable { note };
            }
            files.sort_by(|a, b| natural_cmp(&a.display, &b.display));
            if files.is_empty() {
                SlotMatch::Missing
            } else {
                SlotMatch::Files(files)
            }
        })
        .collect();
    Ok(Matching { slots, unmatched })
}

fn display_entry(entry: &Entry) -> String {
    if entry.is_folder {
        format!("{}/", entry.name)
    } else {
        entry.name.clone()
    }
}

/// The slot index `entry` belongs to, or why it belongs to none.
fn place(entry: &Entry, plan: &DossierPlan, manifest: &Manifest) -> Result<usize, String> {
    if entry.is_folder && entry.files.is_empty() {
        return Err("an empty folder (hidden and system files do not count)".into());
    }
    let index = match manifest.files.get(&entry.name) {
        Some(id) => plan.slots.iter().position(|s| &s.id == id).ok_or_else(|| {
            format!("{MANIFEST} assigns it to `{id}`, which this packet does not list")
        })?,
        None => by_name(&entry.name, entry.is_folder, plan)?,
    };
    let slot = &plan.slots[index];
    if manifest.not_applicable.contains_key(&slot.id) {
        return Err(format!(
            "it fits {:02} {}, which {MANIFEST} marks not applicable",
            slot.number, slot.name.zh
        ));
    }
    Ok(index)
}

/// The one slot whose Chinese name, id or alias `name` fits (see [`fits`]).
fn by_name(name: &str, is_folder: bool, plan: &DossierPlan) -> Result<usize, String> {
    let key = material_key(name, is_folder);
    let fitting: Vec<usize> = (0..plan.slots.len())
        .filter(|&i| fits(key, &plan.slots[i]))
        .collect();
    match fitting[..] {
        [one] => Ok(one),
        [] => Err(format!(
            "“{key}” does not start with the Chinese name or an alias of any material of this \
             packet, nor equal an id; rename it (e.g. “03 营业执照副本复印件.pdf”) or list it \
             under [files] in {MANIFEST}"
        )),
        _ => {
            let names: Vec<String> = fitting
                .iter()
                .map(|&i| format!("{:02} {}", plan.slots[i].number, plan.slots[i].name.zh))
                .collect();
            Err(format!(
                "ambiguous: it fits {}; rename it to the full name or list it under [files] in \
                 {MANIFEST}",
                names.join(" and ")
            ))
        }
    }
}

/// Whether `key` (a name minus extension and leading number) names `slot`.
fn fits(key: &str, slot: &Slot) -> bool {
    key.starts_with(slot.name.zh.as_str())
        || key.eq_ignore_ascii_case(&slot.id)
        || slot
            .aliases
            .iter()
            .any(|alias| !alias.is_empty() && key.starts_with(alias.as_str()))
}

/// A name minus its extension (files only) and a leading number (`03 `, `03-`, `03_`, `3.`).
pub fn material_key(name: &str, is_folder: bool) -> &str {
    let stem = if is_folder {
        name
    } else {
        match name.rfind('.') {
            Some(dot) if dot > 0 => &name[..dot],
            _ => name,
        }
    };
    let digits = stem.len() - stem.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return stem;
    }
    let rest = &stem[digits..];
    match rest.chars().next() {
        Some(' ' | '-' | '_' | '.') => rest[1..].trim_start_matches(' '),
        _ => stem,
    }
}

/// Hidden files (`.name`, macOS `._name`), OS junk, Office lock files (`~$name`) and the
/// manifest itself: never a material, never reported.
fn ignored(name: &str) -> bool {
    name.starts_with('.') || name.starts_with("~$") || JUNK.contains(&name) || name == MANIFEST
}

/// The entries directly in `dir`, each folder with its files in natural order.
fn list_entries(dir: &Path) -> Result<Vec<Entry>, MatchError> {
    let folder_error = |source| MatchError::Folder {
        path: crate::diag::display_path(dir),
        source,
    };
    let mut entries = Vec::new();
    for (name, path) in read_names(dir).map_err(folder_error)? {
        if path.is_dir() {
            let files = folder_pages(&path, &name).map_err(|source| MatchError::Folder {
                path: crate::diag::display_path(&path),
                source,
            })?;
            entries.push(Entry {
                name,
                files,
                is_folder: true,
            });
        } else {
            let display = name.clone();
            entries.push(Entry {
                name,
                files: vec![SourceFile { path, display }],
                is_folder: false,
            });
        }
    }
    Ok(entries)
}

/// The files of a material's folder, in natural order; its subfolders are not read (a
/// material's pages sit directly in its folder).
fn folder_pages(dir: &Path, folder: &str) -> std::io::Result<Vec<SourceFile>> {
    Ok(read_names(dir)?
        .into_iter()
        .filter(|(_, path)| !path.is_dir())
        .map(|(name, path)| SourceFile {
            path,
            display: format!("{folder}/{name}"),
        })
        .collect())
}

/// The names in `dir` that are not ignored, in natural order. A name that is not valid
/// Unicode is kept in its lossy form (it then matches nothing and is reported).
fn read_names(dir: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !ignored(&name) {
            names.push((name, entry.path()));
        }
    }
    names.sort_by(|a, b| natural_cmp(&a.0, &b.0));
    Ok(names)
}

/// Natural order: runs of digits compare by value, so `2.jpg` comes before `10.jpg`; other
/// characters compare as they are. Ties (`01` vs `1`) fall back to plain order, so the
/// order is total and the same on every machine. Hand-written: a dozen lines do not need
/// a dependency.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a, b);
    loop {
        match (x.chars().next(), y.chars().next()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let (m, rest_x) = split_number(x);
                let (n, rest_y) = split_number(y);
                let by_value = m.len().cmp(&n.len()).then_with(|| m.cmp(n));
                if by_value != Ordering::Equal {
                    return by_value;
                }
                (x, y) = (rest_x, rest_y);
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(&d);
                }
                (x, y) = (&x[c.len_utf8()..], &y[d.len_utf8()..]);
            }
        }
    }
}

/// A leading digit run without its leading zeros, and the rest.
fn split_number(s: &str) -> (&str, &str) {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    (s[..end].trim_start_matches('0'), &s[end..])
}

/// Reads and checks `materials.toml` when there is one: every listed path must exist in
/// the folder, directly (a file or a folder of pages).
fn read_manifest(dir: &Path) -> Result<Manifest, MatchError> {
    let path = dir.join(MANIFEST);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Manifest::default()),
        Err(source) => {
            return Err(MatchError::Folder {
                path: crate::diag::display_path(&path),
                source,
            })
        }
    };
    let located = |span: std::ops::Range<usize>, message: String, hint: &str| {
        let (line, column) = crate::diag::line_col(&text, span.start);
        MatchError::Manifest(Box::new(
            crate::diag::Diagnostic::new(&path, message)
                .at(line, column)
                .hint(hint),
        ))
    };
    let file: ManifestFile = toml::from_str(&text).map_err(|e| {
        let hint = "write [files] \"scan 1.jpg\" = \"business-license-copy\" and \
                    [not_applicable] financial-statements = \"why\" (docs/dossier.md)";
        located(
            e.span().unwrap_or(0..0),
            e.message().trim().to_string(),
            hint,
        )
    })?;
    let mut manifest = Manifest::default();
    for (name, id) in file.files {
        let listed = name.trim_end_matches('/');
        let exists = !listed.contains(['/', '\\'])
            && !ignored(listed)
            && !listed.is_empty()
            && dir.join(listed).exists();
        if !exists {
            let hint = "give a file or folder name directly in the materials folder, \
                        exactly as it is spelled there";
            return Err(located(
                id.span(),
                format!("\"{name}\" is not in the materials folder"),
                hint,
            ));
        }
        manifest.files.insert(listed.to_string(), id.into_inner());
    }
    for (id, note) in file.not_applicable {
        manifest.not_applicable.insert(id, note.into_inner());
    }
    Ok(manifest)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::catalog::Text;

    fn slot(number: usize, id: &str, zh: &str, aliases: &[&str]) -> Slot {
        Slot {
            number,
            id: id.into(),
            name: Text {
                zh: zh.into(),
                en: id.into(),
            },
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            colour_required: false,
            copy: false,
            letter: false,
        }
    }

    /// A plan of five materials, two of whose names share a start with an alias.
    pub(crate) fn plan() -> DossierPlan {
        DossierPlan {
            company: "测试公司".into(),
            uscc: "91110108MA01C2XM4Y".into(),
            license: "B2-20210001".into(),
            procedure: Text::default(),
            authority: Text::default(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            slots: vec![
                slot(
                    1,
                    "renewal-application-form",
                    "经营许可证有效期届满继续经营申请表",
                    &[],
                ),
                slot(
                    2,
                    "business-license-copy",
                    "营业执照副本复印件",
                    &["营业执照"],
                ),
                slot(
                    3,
                    "original-licence",
                    "原经营许可证正副本",
                    &["许可证正副本"],
                ),
                slot(4, "financial-statements", "年度财务会计报告", &["财务报告"]),
                slot(5, "audit", "财务报告审计", &[]),
            ],
            rules: Default::default(),
            file_stem: "B2-20210001-renewal".into(),
        }
    }

    /// A temporary folder with `files` (a name ending in `/` is an empty folder).
    pub(crate) fn folder(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for name in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            if name.ends_with('/') {
                std::fs::create_dir_all(&path).unwrap();
            } else {
                std::fs::write(&path, name.as_bytes()).unwrap();
            }
        }
        dir
    }

    fn displays(m: &SlotMatch) -> Vec<&str> {
        match m {
            SlotMatch::Files(files) => files.iter().map(|f| f.display.as_str()).collect(),
            other => panic!("expected files, got {other:?}"),
        }
    }

    #[test]
    fn a_leading_number_in_every_written_form_is_dropped() {
        for name in [
            "03 营业执照.jpg",
            "03-营业执照.jpg",
            "03_营业执照.jpg",
            "3.营业执照.jpg",
        ] {
            assert_eq!(material_key(name, false), "营业执照", "{name}");
        }
        assert_eq!(material_key("2024年报.pdf", false), "2024年报");
        assert_eq!(material_key("营业执照.副本.pdf", false), "营业执照.副本");
        assert_eq!(material_key("03 营业执照", true), "营业执照");
    }

    #[test]
    fn names_ids_and_aliases_match_and_the_rest_is_reported() {
        let dir = folder(&[
            "01 经营许可证有效期届满继续经营申请表（签字盖章）.pdf",
            "02-营业执照.jpg",
            "original-licence.pdf",
            "发票.jpg",
            ".DS_Store",
            "Thumbs.db",
            "desktop.ini",
            "._02-营业执照.jpg",
            "~$草稿.docx",
        ]);
        let m = match_folder(dir.path(), &plan()).unwrap();
        assert_eq!(
            displays(&m.slots[0]),
            ["01 经营许可证有效期届满继续经营申请表（签字盖章）.pdf"]
        );
        assert_eq!(displays(&m.slots[1]), ["02-营业执照.jpg"]);
        assert_eq!(displays(&m.slots[2]), ["original-licence.pdf"]);
        assert_eq!(m.slots[3], SlotMatch::Missing);
        assert_eq!(m.unmatched.len(), 1, "{:?}", m.unmatched);
        assert_eq!(m.unmatched[0].path, "发票.jpg");
        assert!(m.unmatched[0].reason.contains("does not start with"));
    }

    #[test]
    fn a_name_fitting_two_materials_is_ambiguous_never_guessed() {
        let dir = folder(&["财务报告审计.pdf"]);
        let m = match_folder(dir.path(), &plan()).unwrap();
        assert_eq!(m.slots[3], SlotMatch::Missing);
        assert_eq!(m.slots[4], SlotMatch::Missing);
        let reason = &m.unmatched[0].reason;
        assert!(reason.starts_with("ambiguous"), "{reason}");
        assert!(reason.contains("04 年度财务会计报告") && reason.contains("05 财务报告审计"));
    }

    #[test]
    fn a_folder_is_one_material_with_its_pages_in_natural_order() {
        let dir = folder(&[
            "03 原经营许可证正副本/page10.jpg",
            "03 原经营许可证正副本/page2.jpg",
            "03 原经营许可证正副本/page1.jpg",
            "03 原经营许可证正副本/.hidden.jpg",
            "空的营业执照/",
        ]);
        let m = match_folder(dir.path(), &plan()).unwrap();
        let folder = "03 原经营许可证正副本";
        assert_eq!(
            displays(&m.slots[2]),
            [
                format!("{folder}/page1.jpg"),
                format!("{folder}/page2.jpg"),
                format!("{folder}/page10.jpg")
            ]
        );
        assert_eq!(m.unmatched[0].path, "空的营业执照/");
        assert!(m.unmatched[0].reason.contains("empty folder"));
    }

    #[test]
    fn the_manifest_assigns_files_and_marks_materials_not_applicable() {
        let dir = folder(&["scan0001.pdf", "年度财务会计报告.pdf"]);
        std::fs::write(
            dir.path().join(MANIFEST),
            "[files]\n\"scan0001.pdf\" = \"business-license-copy\"\n\n[not_applicable]\nfinancial-statements = \"本省不要求\"\n",
        )
        .unwrap();
        let m = match_folder(dir.path(), &plan()).unwrap();
        assert_eq!(displays(&m.slots[1]), ["scan0001.pdf"]);
        assert_eq!(
            m.slots[3],
            SlotMatch::NotApplicable {
                note: Some("本省不要求".into())
            }
        );
        assert_eq!(m.unmatched[0].path, "年度财务会计报告.pdf");
        assert!(m.unmatched[0].reason.contains("not applicable"));
    }

    #[test]
    fn a_manifest_naming_a_missing_file_is_located_at_its_line() {
        let dir = folder(&["a.pdf"]);
        std::fs::write(
            dir.path().join(MANIFEST),
            "[files]\n\"a.pdf\" = \"audit\"\n\"b.pdf\" = \"audit\"\n",
        )
        .unwrap();
        let Err(MatchError::Manifest(diag)) = match_folder(dir.path(), &plan()) else {
            panic!("expected a manifest error");
        };
        assert_eq!(diag.line, 3);
        assert!(diag
            .message
            .contains("\"b.pdf\" is not in the materials folder"));
        assert!(diag.file.ends_with(MANIFEST));
    }

    #[test]
    fn a_manifest_with_an_unknown_table_is_located() {
        let dir = folder(&[]);
        std::fs::write(dir.path().join(MANIFEST), "[files]\n\n[skip]\nx = \"y\"\n").unwrap();
        let Err(MatchError::Manifest(diag)) = match_folder(dir.path(), &plan()) else {
            panic!("expected a manifest error");
        };
        assert_eq!(diag.line, 3, "{}", diag.message);
        assert!(diag.message.contains("unknown field"), "{}", diag.message);
    }

    #[test]
    fn natural_order_puts_2_before_10_and_is_total() {
        let mut names = vec!["p10.jpg", "p2.jpg", "p1.jpg", "p02.jpg", "a.jpg"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(names, ["a.jpg", "p1.jpg", "p02.jpg", "p2.jpg", "p10.jpg"]);
    }
}
