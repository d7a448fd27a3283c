//! `licpack templates list | eject | check`: the user's side of template layering.

use std::path::{Path, PathBuf};

use super::args::{TemplatesArgs, TemplatesCommand};
use super::{report, EXIT_INVALID};
use licpack::customize::{self, ListedOrigin, Sample};
use licpack::library::Library;
use licpack::output::WriteOutcome;

pub fn run(args: TemplatesArgs) -> i32 {
    match args.command {
        TemplatesCommand::List { templates, json } => list(templates.as_deref(), json),
        TemplatesCommand::Eject { name, to, force } => eject(name.as_deref(), &to, force),
        TemplatesCommand::Check { dir, sample } => check(&dir, &sample),
    }
}

fn library(dir: Option<&Path>) -> Result<Library, i32> {
    match dir {
        Some(d) => Library::with_user_dir(d).map_err(|e| {
            report(format!("error: {e}"));
            EXIT_INVALID
        }),
        None => Ok(Library::builtin()),
    }
}

fn list(dir: Option<&Path>, json: bool) -> i32 {
    let library = match library(dir) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let rows = customize::list(&library);
    if json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&rows).unwrap_or_default()
        );
        return 0;
    }
    for row in rows {
        match row.origin {
            ListedOrigin::Builtin => outln!("built-in    {}", row.name),
            ListedOrigin::Overridden(p) => {
                outln!("overridden  {}  ← {}", row.name, p.display())
            }
            ListedOrigin::Added(p) => outln!("added       {}  ← {}", row.name, p.display()),
        }
    }
    0
}

fn eject(name: Option<&str>, to: &Path, force: bool) -> i32 {
    match customize::eject(&Library::builtin(), name, to, force) {
        Ok(files) => {
            for f in files {
                let what = match f.outcome {
                    WriteOutcome::Created => "wrote",
                    WriteOutcome::Replaced => "replaced",
                    WriteOutcome::Unchanged => "unchanged",
                };
                outln!("{what} {}", f.path.display());
            }
            0
        }
        Err(e) => {
            report(format!("error: {e}"));
            EXIT_INVALID
        }
    }
}

fn check(dir: &Path, sample_paths: &[PathBuf]) -> i32 {
    if !dir.is_dir() {
        report(format!("error: {} is not a directory", dir.display()));
        return EXIT_INVALID;
    }
    let samples = if sample_paths.is_empty() {
        customize::builtin_samples()
    } else {
        let mut samples = Vec::new();
        for path in sample_paths {
            match std::fs::read_to_string(path) {
                Ok(text) => samples.push(Sample {
                    path: path.clone(),
                    text,
                }),
                Err(e) => {
                    report(format!("error: cannot read {}: {e}", path.display()));
                    return EXIT_INVALID;
                }
            }
        }
        samples
    };
    let result = customize::check(dir, &samples);
    for problem in &result.problems {
        report(problem);
    }
    if !result.unexercised.is_empty() {
        errln!(
            "note: no sample uses the procedures {}; their letters were not rendered (add one with --sample)",
            result.unexercised.join(", ")
        );
    }
    if result.problems.is_empty() {
        outln!(
            "ok: {} documents from {} samples rendered without problems",
            result.documents,
            samples.len()
        );
        0
    } else {
        errln!("{} problems", result.problems.len());
        EXIT_INVALID
    }
}
