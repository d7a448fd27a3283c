//! Turns finished bytes into files without ever leaving a half-written one: write to a
//! temporary file in the target directory, flush, then rename over the final name. Also
//! derives safe, stable directory names from company data.
//!
//! On Windows two things differ, both handled here (`#[cfg(windows)]`, so Linux paths and
//! messages are untouched): a file another program holds open (a packet in a PDF viewer)
//! cannot be replaced, which is reported as [`OutputError::InUse`] naming the file to close;
//! and paths past 260 characters (long Chinese company names in nested folders) need the
//! verbatim `\\?\` form, which std adds to its own calls but tempfile's rename does not, so
//! targets are made absolute and verbatim first ([`long_path_safe`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::company::Company;

/// What happened to a target file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WriteOutcome {
    Created,
    /// An existing file with other content was replaced (`--force`).
    Replaced,
    /// The file already held exactly these bytes; nothing was written.
    Unchanged,
}

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{path} already exists with different content; use --force to replace it")]
    Exists { path: PathBuf },
    /// Windows only: another program (a PDF viewer, Word) holds the file open, or it is
    /// read-only; the old file and every other packet are untouched.
    #[error(
        "cannot replace {path}: another program has it open (a PDF viewer or Word?) or it is \
         read-only; close it and run again (the file was left as it was)"
    )]
    InUse { path: PathBuf },
    #[error("cannot write {path}: {source}; {}", advice(.source))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// tempfile names its hidden temporary file in creation errors; the message names the target
/// instead, so only the kind of failure is kept.
fn without_temp_path(error: std::io::Error) -> std::io::Error {
    std::io::Error::from(error.kind())
}

/// What a clerk can do about a failed write; nothing was left behind either way.
fn advice(error: &std::io::Error) -> &'static str {
    use std::io::ErrorKind::*;
    match error.kind() {
        PermissionDenied | ReadOnlyFilesystem => {
            "the folder is not writable for you: write somewhere else or ask for write access"
        }
        StorageFull | QuotaExceeded | FileTooLarge => {
            "the disk is full: free some space or write somewhere else, then run again"
        }
        NotADirectory | AlreadyExists | IsADirectory => {
            "a file or folder of that name is in the way: write somewhere else or move it aside"
        }
        _ => "fix the cause and run again",
    }
}

/// A hidden temporary file beside the target. tempfile creates files 0600 and the rename keeps
/// that mode, so colleagues and file servers could not read a packet; asking for 0666 lets the
/// kernel apply the process umask at creation (0644 under 022, 0600 under 077), as cp or an
/// editor would.
fn temp_builder(suffix: &'static str) -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".licpack-").suffix(suffix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder
}

/// Writes `bytes` to `path` atomically. An existing file is replaced only when `force` is set;
/// identical content is left alone.
pub fn write_atomic(path: &Path, bytes: &[u8], force: bool) -> Result<WriteOutcome, OutputError> {
    write_atomic_parts(path, &[bytes], force)
}

/// Whether the concatenation of `parts` is `bytes`.
fn same_as_parts(bytes: &[u8], parts: &[&[u8]]) -> bool {
    if bytes.len() != parts.iter().map(|p| p.len()).sum::<usize>() {
        return false;
    }
    let mut at = 0;
    parts.iter().all(|part| {
        let same = bytes[at..at + part.len()] == **part;
        at += part.len();
        same
    })
}

/// [`write_atomic`] of a file given as consecutive parts (a PDF whose scans stay in their own
/// buffers, `pdf::PdfFile`), without joining them first.
pub fn write_atomic_parts(
    path: &Path,
    parts: &[&[u8]],
    force: bool,
) -> Result<WriteOutcome, OutputError> {
    let io = |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    };
    // Messages name `path` as the user gave it; the calls get the form Windows needs.
    let target = long_path_safe(path).map_err(io)?;
    let held_or_io = |source: std::io::Error| {
        if held_open(&source) {
            OutputError::InUse {
                path: path.to_path_buf(),
            }
        } else {
            io(source)
        }
    };
    let existed = match std::fs::read(&target) {
        Ok(old) if same_as_parts(&old, parts) => return Ok(WriteOutcome::Unchanged),
        Ok(_) if !force => {
            return Err(OutputError::Exists {
                path: path.to_path_buf(),
            })
        }
        Ok(_) => true,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(held_or_io(e)),
    };
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut tmp = temp_builder(".tmp")
        .tempfile_in(dir)
        .map_err(|e| io(without_temp_path(e)))?;
    // Through the `File`, whose errors are the OS's own (tempfile's wrapper adds its path).
    for part in parts {
        tmp.as_file_mut().write_all(part).map_err(io)?;
    }
    tmp.as_file().sync_all().map_err(io)?;
    if existed {
        // Dropping the refused temporary file deletes it: the old file stays as it was.
        tmp.persist(&target).map_err(|e| held_or_io(e.error))?;
    } else {
        // Another process (a second batch or shard on the same folder) may have created the
        // file since we looked; never replace what we did not see.
        tmp.persist_noclobber(&target)
            .map_err(|e| match e.error.kind() {
                std::io::ErrorKind::AlreadyExists => OutputError::Exists {
                    path: path.to_path_buf(),
                },
                _ => io(e.error),
            })?;
    }
    Ok(if existed {
        WriteOutcome::Replaced
    } else {
        WriteOutcome::Created
    })
}

/// Whether Windows refused because another program holds the file open (a PDF viewer opens
/// without delete sharing, so a rename over the file is denied) or it is read-only:
/// ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION.
#[cfg(windows)]
fn held_open(error: &std::io::Error) -> bool {
    matches!(error.raw_os_error(), Some(5 | 32 | 33))
}

/// Unix replaces a file by rename whoever has it open.
#[cfg(not(windows))]
fn held_open(_: &std::io::Error) -> bool {
    false
}

/// `path` absolute and in the verbatim form (`\\?\C:\…`, `\\?\UNC\server\…`), which Win32
/// calls take past MAX_PATH (260) without the LongPathsEnabled policy. std adds it to its own
/// calls only for paths already long and absolute, not for a short relative path that is long
/// from a deep current folder, and tempfile's rename passes the path on as given.
/// `std::path::absolute` also normalises (separators, `..`, trailing dots and spaces), which
/// the verbatim form would otherwise keep literally.
#[cfg(windows)]
fn long_path_safe(path: &Path) -> std::io::Result<std::borrow::Cow<'_, Path>> {
    use std::os::windows::ffi::{OsStrExt, OsStringExt};
    let wide = |text: &str| text.encode_utf16().collect::<Vec<u16>>();
    let absolute: Vec<u16> = std::path::absolute(path)?
        .as_os_str()
        .encode_wide()
        .collect();
    let verbatim = if absolute.starts_with(&wide(r"\\?\")) || absolute.starts_with(&wide(r"\\.\")) {
        absolute
    } else if let Some(share) = absolute.strip_prefix(wide(r"\\").as_slice()) {
        [wide(r"\\?\UNC\").as_slice(), share].concat()
    } else {
        [wide(r"\\?\"), absolute].concat()
    };
    Ok(PathBuf::from(std::ffi::OsString::from_wide(&verbatim)).into())
}

/// Elsewhere paths have no such limit: the path as given.
#[cfg(not(windows))]
fn long_path_safe(path: &Path) -> std::io::Result<std::borrow::Cow<'_, Path>> {
    Ok(path.into())
}

/// Creates `dir` if needed and checks that a file can be created in it, so a batch into a
/// read-only or missing-permission folder stops with one clear error before any work.
pub fn ensure_writable(dir: &Path) -> Result<(), OutputError> {
    let io = |source| OutputError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let dir = long_path_safe(dir).map_err(io)?;
    std::fs::create_dir_all(&dir).map_err(io)?;
    let probe = temp_builder(".probe")
        .tempfile_in(&dir)
        .map_err(|e| io(without_temp_path(e)))?;
    probe.close().map_err(io)
}

/// `path` as summaries record it: with `/` between folders on every system, so a summary
/// reads (and compares) the same whether Linux or Windows wrote it. Elsewhere the path is
/// left as it is: `\\` is an ordinary character in a Unix file name.
pub fn portable_display(path: &Path) -> String {
    let shown = path.display().to_string();
    if cfg!(windows) {
        shown.replace('\\', "/")
    } else {
        shown
    }
}

/// A file-name component from user text: no separators, control or reserved characters,
/// no leading dots; never empty.
pub fn sanitize_component(text: &str) -> String {
    const RESERVED: &[char] = &['/', '\\', ':', '*', '?', '"', '<', '>', '|'];
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c.is_control() || RESERVED.contains(&c) || c.is_whitespace() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim_start_matches('.').trim_end_matches(['.', '_']);
    let limited: String = trimmed.chars().take(80).collect();
    if limited.is_empty() {
        "_".to_string()
    } else {
        limited
    }
}

/// `北京云声科技有限公司-91110108MA01C2XM4Y`: readable, and unique because the USCC is.
pub fn company_dir_name(company: &Company) -> String {
    format!(
        "{}-{}",
        sanitize_component(&company.info.name),
        sanitize_component(&company.info.uscc)
    )
}

/// The packet's path under `out`.
pub fn packet_path(out: &Path, company: &Company, file_stem: &str) -> PathBuf {
    out.join(company_dir_name(company))
        .join(format!("{}.pdf", sanitize_component(file_stem)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitizes_separators_dots_and_controls() {
        assert_eq!(sanitize_component("../etc/passwd"), "_etc_passwd");
        assert_eq!(sanitize_component("a\u{0}b c"), "a_b_c");
        assert_eq!(sanitize_component("..."), "_");
        assert_eq!(
            sanitize_component("粤B2-20220317-renewal"),
            "粤B2-20220317-renewal"
        );
    }

    #[test]
    fn portable_display_keeps_unix_paths_as_they_are() {
        let shown = portable_display(Path::new("out/a\\b.pdf"));
        let expected = if cfg!(windows) {
            "out/a/b.pdf"
        } else {
            "out/a\\b.pdf"
        };
        assert_eq!(shown, expected);
    }

    #[test]
    fn atomic_write_refuses_to_clobber_and_skips_identical() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/a.pdf");
        assert_eq!(
            write_atomic(&p, b"one", false).unwrap(),
            WriteOutcome::Created
        );
        assert_eq!(
            write_atomic(&p, b"one", false).unwrap(),
            WriteOutcome::Unchanged
        );
        assert!(matches!(
            write_atomic(&p, b"two", false),
            Err(OutputError::Exists { .. })
        ));
        assert_eq!(std::fs::read(&p).unwrap(), b"one");
        assert_eq!(
            write_atomic(&p, b"two", true).unwrap(),
            WriteOutcome::Replaced
        );
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let leftovers: Vec<_> = std::fs::read_dir(p.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary files left behind");
    }
}
