//! The `licpack` command: parses arguments with clap, dispatches to the library, prints
//! messages for people (or JSON for scripts) and maps results to exit codes
//! (0 success, 1 invalid input, 2 usage).

mod cli;

fn main() {
    restore_broken_pipe_default();
    std::process::exit(cli::run());
}

/// `licpack catalog | head` must end quietly when `head` stops reading, as every Unix tool
/// does, instead of panicking in `println!`: Rust's runtime ignores SIGPIPE, so this puts
/// back the default action (terminate) before anything is printed.
fn restore_broken_pipe_default() {
    #[cfg(unix)]
    // SAFETY: called first thing in `main`, before any other thread exists; SIG_DFL is a
    // valid disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
