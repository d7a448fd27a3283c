//! The end-to-end tests, one module per area, in one test binary: every test binary links
//! the whole library in release mode, so one binary is one link instead of twenty-six.
//! `cargo test --release --test it <area>::` runs one area.

mod common;

mod amounts;
mod assemble;
mod batch;
mod branding;
mod catalog_matrix;
mod cli;
mod customize;
mod docx;
mod dossier;
mod dossier_memory;
mod file_modes;
mod fonts;
mod hostile_text;
mod inspect_files;
mod invalid_input;
mod letter_pages;
mod limits;
mod materials_status;
mod packets;
mod seal_places;
mod sheets;
mod sheets_office;
mod stretched_lines;
mod unwritable_output;
mod watch;
mod working_days;
