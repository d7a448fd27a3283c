//! Turns a batch input (a folder searched recursively for `*.toml`, or a manifest listing
//! files) into the list of company files to process, and picks a stable shard of it; finds
//! the materials folder beside a company file ([`materials_folder`]).

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// One company file of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    /// Path relative to the batch input, with `/` separators: the sharding key and the name
    /// shown in summaries.
    pub rel: String,
}

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a manifest: {message}")]
    Manifest { path: PathBuf, message: String },
    #[error("invalid shard \"{0}\": write K/N with 1 ≤ K ≤ N, e.g. 2/3")]
    Shard(String),
}

/// `K/N`: this run takes the inputs whose stable hash falls in bucket K of N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl std::str::FromStr for Shard {
    type Err = InputError;
    fn from_str(s: &str) -> Result<Shard, InputError> {
        let bad = || InputError::Shard(s.to_string());
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (u32, u32) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Whether `input` belongs to this shard: FNV-1a of the relative path, so the split is
    /// the same on every machine and every run.
    pub fn contains(&self, input: &Input) -> bool {
        fnv1a(input.rel.as_bytes()) % u64::from(self.count) == u64::from(self.index - 1)
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A manifest: `files = ["a.toml", "sub/b.toml"]`, relative to the manifest's folder.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    files: Vec<PathBuf>,
}

/// The folder name of a client's materials beside its `company.toml`.
pub const MATERIALS_DIR: &str = "materials";
/// The suffix of a materials folder beside `<stem>.toml`: `<stem>.materials/`.
pub const MATERIALS_SUFFIX: &str = ".materials";

/// The materials folder that belongs to `company_file`, if there is one:
/// `<stem>.materials/` beside `<stem>.toml`, or `materials/` beside a file named
/// `company.toml` (the layout of one folder per client).
pub fn materials_folder(company_file: &Path) -> Option<PathBuf> {
    let beside = beside_materials_folder(company_file);
    if beside.is_dir() {
        return Some(beside);
    }
    let own = company_file
        .parent()
        .unwrap_or(Path::new(""))
        .join(MATERIALS_DIR);
    (company_file.file_name()? == "company.toml" && own.is_dir()).then_some(own)
}

/// `<stem>.materials/` beside `<stem>.toml`, whether it exists or not.
pub fn beside_materials_folder(company_file: &Path) -> PathBuf {
    let stem = company_file
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy();
    company_file.with_file_name(format!("{stem}{MATERIALS_SUFFIX}"))
}

/// Whether a folder found while searching for company files is a client's materials
/// folder, whose files (scans, its `materials.toml` manifest) are never company files.
fn is_materials_folder(name: &str) -> bool {
    name == MATERIALS_DIR || name.ends_with(MATERIALS_SUFFIX)
}

/// Company files of `input`: a folder (recursive; `agency.toml`, `materials.toml`
/// manifests, materials folders and hidden files skipped) or a manifest file.
pub fn discover(input: &Path) -> Result<Vec<Input>, InputError> {
    if input.is_dir() {
        let mut out = Vec::new();
        walk(input, input, &mut out)?;
        out.sort_by(|a, b| a.rel.cmp(&b.rel));
        return Ok(out);
    }
    let text = std::fs::read_to_string(input).map_err(|source| InputError::Io {
        path: input.to_path_buf(),
        source,
    })?;
    let manifest: Manifest = toml::from_str(&text).map_err(|e| InputError::Manifest {
        path: input.to_path_buf(),
        message: if text.contains("[company]") {
            "this is a company file; `licpack generate FILE` makes its packets, and `batch` \
             takes a folder of company files or a manifest (files = [\"a.toml\", …])"
                .to_owned()
        } else {
            e.message().to_string()
        },
    })?;
    let base = input.parent().unwrap_or(Path::new("."));
    // A file listed twice (`a.toml` and `./a.toml`) is one client, made once.
    let mut seen = std::collections::HashSet::new();
    Ok(manifest
        .files
        .into_iter()
        .map(|f| Input {
            rel: f
                .to_string_lossy()
                .replace('\\', "/")
                .trim_start_matches("./")
                .to_owned(),
            path: base.join(f),
        })
        .filter(|i| seen.insert(std::fs::canonicalize(&i.path).unwrap_or_else(|_| i.path.clone())))
        .collect())
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<Input>) -> Result<(), InputError> {
    let io = |source| InputError::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            if !is_materials_folder(&name) {
                walk(root, &path, out)?;
            }
        } else if name.ends_with(".toml")
            && name != "agency.toml"
            && name != crate::dossier::matching::MANIFEST
        {
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            out.push(Input { path, rel });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(rel: &str) -> Input {
        Input {
            path: rel.into(),
            rel: rel.into(),
        }
    }

    #[test]
    fn shards_partition_the_inputs() {
        let inputs: Vec<_> = (0..100)
            .map(|i| input(&format!("client-{i}.toml")))
            .collect();
        let shards: Vec<Shard> = ["1/3", "2/3", "3/3"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        for i in &inputs {
            assert_eq!(
                shards.iter().filter(|s| s.contains(i)).count(),
                1,
                "{}",
                i.rel
            );
        }
        assert!(shards
            .iter()
            .all(|s| inputs.iter().filter(|i| s.contains(i)).count() > 15));
    }

    #[test]
    fn bad_shards_are_rejected() {
        for s in ["0/3", "4/3", "3", "a/b", "1/0"] {
            assert!(s.parse::<Shard>().is_err(), "{s}");
        }
    }

    #[test]
    fn folder_discovery_is_recursive_sorted_and_skips_agency() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("b")).unwrap();
        for f in [
            "z.toml",
            "agency.toml",
            "b/a.toml",
            "notes.txt",
            ".hidden.toml",
        ] {
            std::fs::write(dir.path().join(f), "").unwrap();
        }
        let rels: Vec<_> = discover(dir.path())
            .unwrap()
            .into_iter()
            .map(|i| i.rel)
            .collect();
        assert_eq!(rels, ["b/a.toml", "z.toml"]);
    }

    #[test]
    fn materials_folders_and_manifests_are_not_clients_and_are_found_beside_their_file() {
        let dir = tempfile::tempdir().unwrap();
        for f in [
            "acme/company.toml",
            "acme/materials/materials.toml",
            "acme/materials/old/company.toml",
            "beta.toml",
            "beta.materials/materials.toml",
            "beta.materials/scan.toml",
            "gamma.toml",
            "materials.toml",
        ] {
            let path = dir.path().join(f);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        let found = discover(dir.path()).unwrap();
        let rels: Vec<_> = found.iter().map(|i| i.rel.as_str()).collect();
        assert_eq!(rels, ["acme/company.toml", "beta.toml", "gamma.toml"]);
        let folders: Vec<_> = found.iter().map(|i| materials_folder(&i.path)).collect();
        assert_eq!(
            folders,
            [
                Some(dir.path().join("acme/materials")),
                Some(dir.path().join("beta.materials")),
                None
            ]
        );
    }
}
