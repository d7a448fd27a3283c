//! Turns the faces a packet uses into printpdf fonts with deterministic names. printpdf would
//! name each font from a process-wide counter (and take the subset tag from that name), so
//! the same packet would come out with different bytes depending on what the process wrote
//! before; here the name is derived from the face and the characters drawn with it. Parsing a
//! multi-megabyte face costs milliseconds, so each face is parsed once per process.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use printpdf::{FontId, ParsedFont, PdfFont};
use sha2::{Digest, Sha256};

use crate::fonts::{Face, FaceId, FontBook};
use crate::layout::LaidOutPacket;

use super::PdfError;

/// Identifies a face's bytes for the whole process: `Face::data` is `'static`, so its address
/// and length never change and never collide with another live face.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct FaceKey {
    addr: usize,
    len: usize,
    index: u32,
}

impl FaceKey {
    fn of(face: &Face) -> FaceKey {
        let data = face.data();
        FaceKey {
            addr: data.as_ptr() as usize,
            len: data.len(),
            index: face.index(),
        }
    }
}

/// One slot per face, so that parsing one face never blocks a thread that needs another.
type Slot = Arc<OnceLock<Option<Arc<ParsedFont>>>>;

/// The face parsed by printpdf, from the per-process cache.
pub(super) fn parsed(face: &Face) -> Result<Arc<ParsedFont>, PdfError> {
    static CACHE: OnceLock<Mutex<HashMap<FaceKey, Slot>>> = OnceLock::new();
    let slot = {
        let mut map = CACHE
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Arc::clone(map.entry(FaceKey::of(face)).or_default())
    };
    let font = slot.get_or_init(|| {
        let mut warnings = Vec::new();
        ParsedFont::from_bytes(face.data(), face.index() as usize, &mut warnings).map(Arc::new)
    });
    font.clone().ok_or_else(|| PdfError::FontUnreadable {
        face: face.name().to_string(),
    })
}

/// The characters drawn with each face, in face order (so iteration is deterministic).
pub(super) fn characters_by_face(packet: &LaidOutPacket) -> BTreeMap<FaceId, BTreeSet<char>> {
    let mut used: BTreeMap<FaceId, BTreeSet<char>> = BTreeMap::new();
    for run in packet.pages.iter().flat_map(|page| page.runs()) {
        used.entry(run.face).or_default().extend(run.text.chars());
    }
    used
}

/// Checks that every face exists in the book and has a glyph for every character drawn with
/// it: printpdf would silently draw an empty box (glyph 0) instead.
pub(super) fn check_coverage(
    used: &BTreeMap<FaceId, BTreeSet<char>>,
    book: &FontBook,
) -> Result<(), PdfError> {
    for (id, chars) in used {
        let face = book
            .faces()
            .find(|(candidate, _)| candidate == id)
            .map(|(_, face)| face)
            .ok_or(PdfError::UnknownFace { face: id.0 })?;
        if let Some(ch) = chars.iter().copied().find(|ch| !face.covers(*ch)) {
            return Err(PdfError::MissingGlyph {
                ch,
                face: face.name().to_string(),
            });
        }
    }
    Ok(())
}

/// The resource name of a face in one packet: a six-letter subset tag (ISO 32000-1 §9.6.4;
/// printpdf takes the first six characters of the name) followed by the face number. The tag
/// is a hash of the face name and the characters used, so a different subset of the same
/// face gets a different tag, and the same subset always the same one.
pub(super) fn font_id(face_id: FaceId, face: &Face, chars: &BTreeSet<char>) -> FontId {
    let mut hasher = Sha256::new();
    hasher.update(face.name().as_bytes());
    hasher.update([0]);
    for ch in chars {
        hasher.update(u32::from(*ch).to_be_bytes());
    }
    let digest = hasher.finalize();
    let tag: String = digest
        .iter()
        .take(6)
        .map(|byte| char::from(b'A' + byte % 26))
        .collect();
    FontId(format!("{tag}F{}", face_id.0))
}

/// A printpdf font for one document. printpdf keeps fonts by value, so this clones the
/// cached face; the clone shares the font bytes and glyph cache (both behind `Arc`s) and
/// costs about 6 µs for the 4 MB regular face, so no cheaper route is needed.
pub(super) fn pdf_font(parsed: &ParsedFont) -> PdfFont {
    PdfFont::new(parsed.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regular() -> &'static Face {
        FontBook::builtin().face(FaceId(0))
    }

    #[test]
    fn font_id_starts_with_six_capitals_and_depends_on_characters() {
        let a: BTreeSet<char> = "承诺书".chars().collect();
        let b: BTreeSet<char> = "承诺".chars().collect();
        let id_a = font_id(FaceId(0), regular(), &a);
        assert!(
            id_a.0[..6].chars().all(|c| c.is_ascii_uppercase()),
            "{}",
            id_a.0
        );
        assert!(id_a.0.ends_with("F0"));
        assert_eq!(id_a, font_id(FaceId(0), regular(), &a));
        assert_ne!(id_a.0[..6], font_id(FaceId(0), regular(), &b).0[..6]);
    }

    #[test]
    fn face_is_parsed_once_and_shared() {
        let first = parsed(regular()).unwrap();
        let second = parsed(regular()).unwrap();
        assert!(Arc::ptr_eq(&first, &second));
    }

    #[test]
    fn uncovered_character_is_an_error_naming_it() {
        let used = BTreeMap::from([(FaceId(0), "好😀".chars().collect::<BTreeSet<_>>())]);
        let err = check_coverage(&used, FontBook::builtin()).unwrap_err();
        assert!(
            matches!(err, PdfError::MissingGlyph { ch: '😀', .. }),
            "{err}"
        );
        let unknown = BTreeMap::from([(FaceId(9), BTreeSet::from(['a']))]);
        assert!(matches!(
            check_coverage(&unknown, FontBook::builtin()),
            Err(PdfError::UnknownFace { face: 9 })
        ));
    }
}
