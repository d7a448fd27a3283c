//! `licpack init`: write a commented sample company file to start from.

use super::args::InitArgs;
use super::{report, EXIT_INVALID};
use licpack::output::{write_atomic, OutputError};

const SAMPLE: &str = include_str!("../../samples/callcenter-renewal.toml");

pub fn run(args: InitArgs) -> i32 {
    if let Some(path) = &args.xlsx {
        return super::cmd_book::template(path, args.force);
    }
    let path = args.dir.join("company.toml");
    match write_atomic(&path, SAMPLE.as_bytes(), args.force) {
        Ok(_) => {
            outln!(
                "wrote {}: edit it, then run `licpack check {}`",
                path.display(),
                path.display()
            );
            0
        }
        Err(e @ OutputError::Exists { .. }) => {
            report(format!("error: {e}"));
            EXIT_INVALID
        }
        Err(e) => {
            report(format!("error: {e}"));
            EXIT_INVALID
        }
    }
}
