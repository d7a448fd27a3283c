//! `generate --watch`: runs `generate` again whenever the company file, the agency file, a
//! file under `--templates` or a file of the `--materials` folder changes, the loop for template authors. A failed run has already
//! printed its located error; the watch goes on and the next save tries again.
//!
//! Uses `notify` (inotify, FSEvents, ReadDirectoryChangesW behind one API, the crate cargo-watch
//! and most Rust file watchers build on) rather than polling modification times: a change is
//! seen at once, and a templates folder of many files costs nothing while idle. Directories
//! are watched, not the files themselves, because editors save by writing a new file and
//! renaming it over the old one, which ends a watch on the old file.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
use notify::{Event, EventKind, RecursiveMode, Watcher};

use super::super::args::GenerateArgs;
use super::super::{report, EXIT_INVALID};
use super::{generate, Written};

/// How long the inputs must stay quiet before a run: an editor's save is several events, and
/// a template author often saves a few files together.
const SETTLE: Duration = Duration::from_millis(150);

/// What the watch reacts to, as absolute paths (events name files by the watched directory).
struct Inputs {
    files: Vec<PathBuf>,
    templates: Option<PathBuf>,
    /// The client's materials folder: a file dropped in changes the checklist's statuses.
    materials: Option<PathBuf>,
    out: PathBuf,
}

impl Inputs {
    fn new(args: &GenerateArgs) -> std::io::Result<Inputs> {
        let files = [Some(&args.company), args.agency.as_ref()]
            .into_iter()
            .flatten()
            .map(|f| absolute_file(f))
            .collect::<std::io::Result<_>>()?;
        let templates = args
            .templates
            .as_deref()
            .map(std::fs::canonicalize)
            .transpose()?;
        let materials = args
            .materials
            .as_deref()
            .map(std::fs::canonicalize)
            .transpose()?;
        Ok(Inputs {
            files,
            templates,
            materials,
            out: std::path::absolute(&args.out)?,
        })
    }

    /// The directories to watch and how.
    fn watches(&self) -> Vec<(&Path, RecursiveMode)> {
        let parents = self.files.iter().filter_map(|f| f.parent());
        let mut out: Vec<_> = parents.map(|p| (p, RecursiveMode::NonRecursive)).collect();
        out.extend(
            [&self.templates, &self.materials]
                .into_iter()
                .filter_map(|d| d.as_deref())
                .map(|d| (d, RecursiveMode::Recursive)),
        );
        out
    }

    /// Whether `path` is one of the inputs (never our own output, even inside --templates).
    fn concerns(&self, path: &Path) -> bool {
        let out = std::fs::canonicalize(&self.out).unwrap_or_else(|_| self.out.clone());
        if path.starts_with(&out) {
            return false;
        }
        self.files.iter().any(|f| f == path)
            || [&self.templates, &self.materials]
                .into_iter()
                .filter_map(|d| d.as_deref())
                .any(|d| path.starts_with(d))
    }
}

/// `file` with its directory made canonical (the file itself may be replaced or briefly
/// missing while an editor saves).
fn absolute_file(file: &Path) -> std::io::Result<PathBuf> {
    let dir = match file.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => std::fs::canonicalize(d)?,
        None => std::env::current_dir()?,
    };
    let name = file
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"))?;
    Ok(dir.join(name))
}

/// Reads and closes do not change an input (and `generate` itself reads them all).
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

pub fn run(args: &GenerateArgs) -> i32 {
    let inputs = match Inputs::new(args) {
        Ok(i) => i,
        Err(e) => {
            report(format!(
                "error: cannot watch {}: {e}",
                args.company.display()
            ));
            return EXIT_INVALID;
        }
    };
    let (tx, rx) = channel();
    let mut watcher = match notify::recommended_watcher(tx) {
        Ok(w) => w,
        Err(e) => {
            report(format!("error: cannot watch for changes: {e}"));
            return EXIT_INVALID;
        }
    };
    for (dir, mode) in inputs.watches() {
        if let Err(e) = watcher.watch(dir, mode) {
            report(format!("error: cannot watch {}: {e}", dir.display()));
            return EXIT_INVALID;
        }
    }
    let mut ours = Written::default();
    loop {
        // The run reports its own errors; the watch goes on either way.
        generate(args, &mut ours);
        errln!("watching for changes (Ctrl-C to stop)");
        if !wait_for_change(&rx, &inputs) {
            report("error: the file watcher stopped");
            return EXIT_INVALID;
        }
    }
}

/// Blocks until an input changes and the inputs then stay quiet for [`SETTLE`]; `false` when
/// the watcher is gone.
fn wait_for_change(rx: &Receiver<notify::Result<Event>>, inputs: &Inputs) -> bool {
    let relevant = |event: &notify::Result<Event>| match event {
        Ok(e) => is_change(&e.kind) && e.paths.iter().any(|p| inputs.concerns(p)),
        // A lost event (queue overflow) may have been a change: run again to be sure.
        Err(_) => true,
    };
    loop {
        match rx.recv() {
            Ok(event) if relevant(&event) => break,
            Ok(_) => continue,
            Err(_) => return false,
        }
    }
    // Only input changes restart the quiet period: reads of the output (a viewer or a script
    // polling the packet) would otherwise keep it from ever ending.
    let mut quiet_until = std::time::Instant::now() + SETTLE;
    loop {
        let left = quiet_until.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(event) if relevant(&event) => quiet_until = std::time::Instant::now() + SETTLE,
            Ok(_) => continue,
            Err(RecvTimeoutError::Timeout) => return true,
            Err(RecvTimeoutError::Disconnected) => return false,
        }
    }
}
