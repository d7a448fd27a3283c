//! licpack turns a company's data into the paperwork for Chinese value-added telecom licence
//! procedures: bilingual PDF packets holding a checklist of materials, the deadlines that
//! apply, and drafts of the commitment letters to sign and stamp.
//!
//! # Steps
//!
//! One pipeline, one direction; each stage is a module with one entry point:
//!
//! 1. [`library`]: built-in templates and catalog, with a user directory layered over them
//!    → [`library::Library`].
//! 2. [`catalog`]: the catalog files → [`catalog::Catalog`] (licences, regions, procedures,
//!    materials, letters, failure reasons — all data).
//! 3. [`company`]: a company TOML file → [`company::Company`], or located diagnostics.
//! 4. [`plan`]: company + catalog + date → [`plan::PacketPlan`]s (materials that apply,
//!    deadlines, letters).
//! 5. [`templates`]: a plan → document markup text per document (Tera).
//! 6. [`document`]: markup → [`document::Document`] (typed blocks and inlines).
//! 7. [`layout`]: documents → [`layout::LaidOutPacket`] (positioned pages).
//! 8. [`pdf`]: pages → PDF bytes.
//!
//! [`workdays`] answers working-day questions from the catalog's holiday calendar (used by
//! the plan's deadlines); [`calendar`] writes iCalendar files.
//!
//! [`docx`] is a second renderer beside steps 7–8: documents → DOCX bytes; [`formats`] runs
//! the renderers a run asked for on one composed packet.
//!
//! [`sheet`] reads client books (xlsx/ods/csv) into the same companies as step 3, cells for lines.
//!
//! [`customize`] lists, ejects and checks the template library for users adapting it.
//! [`packet`] runs steps 4–8 for one company; [`output`] writes files atomically; the CLI in
//! `main.rs` turns arguments into calls and errors into messages.

pub mod agency;
pub mod agenda;
pub mod batch;
pub mod calendar;
pub mod catalog;
pub mod company;
pub mod customize;
pub mod dates;
pub mod diag;
pub mod document;
pub mod docx;
pub mod dossier;
pub mod fonts;
pub mod formats;
pub mod image;
pub mod layout;
pub mod library;
pub mod output;
pub mod packet;
pub mod pdf;
pub mod plan;
pub mod sheet;
pub mod stylesheet;
pub mod templates;
pub mod units;
pub mod workdays;
