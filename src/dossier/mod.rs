//! The dossier stage: from the files a client hands over to what is uploaded and what is
//! bound (`DESIGN.md` §1, "Dossier"; the rules in `domain.md` §12).
//!
//! One direction, one job per step, typed hand-offs:
//!
//! 1. [`slots`]: a [`PacketPlan`](crate::plan::PacketPlan) → [`DossierPlan`]: the materials
//!    that apply, numbered as on the checklist, with their flags (colour scan needed, a copy,
//!    a letter of this packet) and the upload rules of the authority ([`rules`]).
//! 2. [`matching`]: the materials folder → which files belong to which slot
//!    ([`matching::Matching`]): a written contract (`docs/dossier.md`), never a guess.
//! 3. [`inspect`]: each matched file, read once → [`inspect::Inspected`] facts (format,
//!    pages, pixels, colour, dpi, orientation, encryption) and the file's own problems.
//! 4. [`review`]: facts + what the slot needs → problems and warnings (colour, dpi, blank,
//!    unsigned draft, letter date).
//! 5. [`normalise`]: pages → what the rules accept: upright, RGB or gray, within the size
//!    limit; a JPEG that already complies is kept byte for byte ([`normalise::Normalised`]).
//! 6. [`assemble`]: the bound copy: cover and 目录 set by our layout engine, every page
//!    stamped 第 N 页 共 M 页, one bookmark per material; written by the one PDF writer.
//! 7. [`report`]: `dossier.json` and the short screen report; the exit status.

pub mod assemble;
pub mod inspect;
pub mod matching;
pub mod normalise;
pub mod report;
pub mod review;
pub mod rules;
pub mod slots;

pub use slots::{DossierPlan, Slot};
