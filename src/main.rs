//! The `licpack` command: parses arguments with clap, dispatches to the library, prints
//! messages for people (or JSON for scripts) and maps results to exit codes
//! (0 success, 1 invalid input, 2 usage).

mod cli;

fn main() {
    std::process::exit(cli::run());
}
