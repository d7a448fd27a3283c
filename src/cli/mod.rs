//! Turns argv into calls on the library and results into exit codes. Only this module knows
//! clap; the library gets checked option structs.

use clap::Parser;

/// `println!` that never panics: a reader that went away (`licpack catalog | head`, a closed
/// terminal) must not stop a batch half-way or leave a temporary file behind. What is lost
/// is only the message; files, exit code and summaries are the product.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// `eprintln!` that never panics; see [`outln!`].
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `print!` that never panics; see [`outln!`].
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($arg)*);
    }};
}

// The macros above are in scope in the command modules declared below (textual scope).
mod args;
mod cmd_batch;
mod cmd_book;
mod cmd_catalog;
mod cmd_check;
mod cmd_deadlines;
mod cmd_dossier;
mod cmd_generate;
mod cmd_init;
mod cmd_templates;

pub use args::{Cli, Command};

/// Exit code for invalid input (bad company data, bad templates, refused overwrite).
pub const EXIT_INVALID: i32 = 1;

pub fn run() -> i32 {
    let cli = Cli::parse();
    match cli.command {
        Command::Generate(a) => cmd_generate::run(a),
        Command::Check(a) => cmd_check::run(a),
        Command::Catalog(a) => cmd_catalog::run(a),
        Command::Init(a) => cmd_init::run(a),
        Command::Batch(a) => cmd_batch::run_cmd(a),
        Command::Deadlines(a) => cmd_deadlines::run(a),
        Command::Dossier(a) => cmd_dossier::run(a),
        Command::Templates(a) => cmd_templates::run(a),
        Command::Import(a) => cmd_book::import(a),
    }
}

/// Prints an error for people on stderr.
pub fn report(err: impl std::fmt::Display) {
    errln!("{err}");
}

/// Builds the shared engine or reports why not.
pub fn engine(templates: Option<&std::path::Path>) -> Result<licpack::packet::Engine, i32> {
    licpack::packet::Engine::new(templates).map_err(|e| {
        match e {
            // Located diagnostics already say "error".
            licpack::packet::EngineError::Invalid(diags) => report(diags),
            other => report(format!("error: {other}")),
        }
        EXIT_INVALID
    })
}

/// Loads the agency file into `engine`, or reports why not.
pub fn with_agency(
    engine: &mut licpack::packet::Engine,
    agency: Option<&std::path::Path>,
) -> Result<(), i32> {
    match agency {
        Some(path) => engine.load_agency(path).map_err(|diags| {
            report(diags);
            EXIT_INVALID
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
