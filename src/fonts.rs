//! Turns font files into what the later stages need: advance widths and vertical metrics for
//! layout, coverage for the "no character without a glyph" check, and the raw bytes for the
//! PDF writer. The built-in faces (Noto Serif CJK SC with CFF outlines, subset; see
//! `fonts/README.md`) are compiled into the binary and parsed once per process, lazily.
//! A character none of a book's faces has is looked for among the fonts installed on the
//! machine ([`system`]), and only then.

mod system;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

/// Index of a face in a [`FontBook`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FaceId(pub u16);

/// Which weight a piece of text asks for; the book maps it to a face with fallbacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weight {
    Regular,
    Bold,
}

// CFF outlines (Noto Serif CJK SC): the PDF embeds their per-packet subsets as bare CFF,
// about a tenth smaller than the same glyphs converted to TrueType.
const BUILTIN_REGULAR: &[u8] = include_bytes!("../fonts/NotoSerifSC-Regular.subset.otf");
const BUILTIN_BOLD: &[u8] = include_bytes!("../fonts/NotoSerifSC-Bold.subset.otf");

#[derive(Debug, thiserror::Error)]
pub enum FontError {
    #[error("{name}: not a font file the layout can read ({reason})")]
    Unreadable { name: String, reason: String },
}

/// One parsed face.
pub struct Face {
    name: String,
    data: &'static [u8],
    index: u32,
    face: ttf_parser::Face<'static>,
    units_per_em: f32,
    glyphs: GlyphMemo,
}

/// Remembers the cmap lookups of Basic Multilingual Plane characters. Every drawn
/// character is looked up several times (coverage, layout, the PDF writer), and ttf-parser
/// searches the cmap's subtables and segments on each call: a tenth of a batch's time
/// before this memo. One atomic slot per code point (256 KB per face, allocated on first
/// use) keeps lookups lock-free across the batch's threads.
#[derive(Default)]
struct GlyphMemo {
    slots: OnceLock<Box<[AtomicU32]>>,
}

impl GlyphMemo {
    /// A slot holds 0 while unknown, else `KNOWN | glyph id` (glyph id 0: no glyph).
    const KNOWN: u32 = 1 << 16;

    fn glyph(&self, ch: char, lookup: impl FnOnce() -> u16) -> u16 {
        let code = u32::from(ch);
        if code > 0xFFFF {
            return lookup();
        }
        let slots = self
            .slots
            .get_or_init(|| (0..=0xFFFF).map(|_| AtomicU32::new(0)).collect());
        let slot = &slots[code as usize];
        match slot.load(Ordering::Relaxed) {
            0 => {
                let gid = lookup();
                slot.store(Self::KNOWN | u32::from(gid), Ordering::Relaxed);
                gid
            }
            // Bits above the glyph id only mark the slot as known.
            known => (known & 0xFFFF) as u16,
        }
    }
}

impl Face {
    /// Parses `data` (face `index` of a TTF/OTF/TTC). The bytes must live for the whole
    /// process: faces are built once and shared by every packet.
    pub fn parse(name: &str, data: &'static [u8], index: u32) -> Result<Face, FontError> {
        let face = ttf_parser::Face::parse(data, index).map_err(|e| FontError::Unreadable {
            name: name.to_string(),
            reason: e.to_string(),
        })?;
        let units_per_em = f32::from(face.units_per_em());
        Ok(Face {
            name: name.to_string(),
            data,
            index,
            face,
            units_per_em,
            glyphs: GlyphMemo::default(),
        })
    }

    /// The face's glyph for `ch`, 0 when it has none.
    fn glyph(&self, ch: char) -> u16 {
        self.glyphs
            .glyph(ch, || self.face.glyph_index(ch).map_or(0, |g| g.0))
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn data(&self) -> &'static [u8] {
        self.data
    }

    pub fn index(&self) -> u32 {
        self.index
    }

    /// Advance width of `ch` in em, or `None` when the face has no glyph for it.
    pub fn advance(&self, ch: char) -> Option<f32> {
        let gid = self.glyph_id(ch)?;
        let adv = self.face.glyph_hor_advance(ttf_parser::GlyphId(gid))?;
        Some(f32::from(adv) / self.units_per_em)
    }

    /// The glyph that draws `ch`, when the face has one (ttf-parser's cmap lookup is a
    /// binary search).
    pub fn glyph_id(&self, ch: char) -> Option<u16> {
        Some(self.glyph(ch)).filter(|&g| g != 0)
    }

    pub fn covers(&self, ch: char) -> bool {
        self.glyph(ch) != 0
    }

    /// The parsed face, for the PDF writer's font descriptor and widths.
    pub fn ttf(&self) -> &ttf_parser::Face<'static> {
        &self.face
    }

    /// Ascender in em (positive, above the baseline).
    pub fn ascent(&self) -> f32 {
        f32::from(self.face.ascender()) / self.units_per_em
    }

    /// Descender in em (positive, below the baseline).
    pub fn descent(&self) -> f32 {
        -f32::from(self.face.descender()) / self.units_per_em
    }
}

/// The faces a packet may use, with a fallback chain per weight.
pub struct FontBook {
    /// Faces live for the process, so a book extended with system faces shares them (and
    /// their glyph memos) with the book it extends.
    faces: Vec<&'static Face>,
    regular: Vec<FaceId>,
    bold: Vec<FaceId>,
    /// A face tried first for Latin-script characters (below U+2000) of either weight.
    latin: Option<FaceId>,
    /// Faces taken from the machine's fonts ([`FontBook::with_system_faces`]); they follow
    /// the book's own faces.
    system: Vec<FaceId>,
}

impl std::fmt::Debug for FontBook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.faces.iter().map(|face| face.name()).collect();
        f.debug_struct("FontBook")
            .field("faces", &names)
            .field("regular", &self.regular)
            .field("bold", &self.bold)
            .field("latin", &self.latin)
            .field("system", &self.system)
            .finish()
    }
}

/// A face for the rest of the process (books and faces are built once and shared).
fn leak(face: Face) -> &'static Face {
    Box::leak(Box::new(face))
}

/// Which font files a user configured (`style.toml` `[fonts]`), paths already resolved.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FontConfig {
    /// Regular text, in fallback order.
    pub body: Vec<FontSource>,
    /// Bold text (titles, headings), in fallback order; the body chain follows it.
    pub heading: Vec<FontSource>,
    pub latin: Option<FontSource>,
}

/// One configured face.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FontSource {
    /// The embedded face of the chain's weight.
    Builtin,
    /// Face `index` of a TTF, OTF or TTC file.
    File {
        path: std::path::PathBuf,
        index: u32,
    },
}

impl FontBook {
    /// The embedded default faces, parsed on first use and shared by the whole process.
    pub fn builtin() -> &'static FontBook {
        static BOOK: OnceLock<FontBook> = OnceLock::new();
        BOOK.get_or_init(|| {
            // The embedded files are checked by the test below; a failure here is a build defect.
            let regular = Face::parse("NotoSerifSC-Regular", BUILTIN_REGULAR, 0)
                .expect("embedded regular font parses");
            let bold = Face::parse("NotoSerifSC-Bold", BUILTIN_BOLD, 0)
                .expect("embedded bold font parses");
            FontBook::new(
                vec![leak(regular), leak(bold)],
                vec![FaceId(0)],
                vec![FaceId(1), FaceId(0)],
            )
        })
    }

    /// A book with the user's faces: read once per process and kept for its lifetime (faces
    /// borrow their bytes for `'static`, like the embedded ones).
    pub fn configured(config: &FontConfig) -> Result<&'static FontBook, FontError> {
        let mut faces = vec![
            leak(Face::parse("NotoSerifSC-Regular", BUILTIN_REGULAR, 0)?),
            leak(Face::parse("NotoSerifSC-Bold", BUILTIN_BOLD, 0)?),
        ];
        let mut add = |source: &FontSource, builtin_id: FaceId| -> Result<FaceId, FontError> {
            let FontSource::File { path, index } = source else {
                return Ok(builtin_id);
            };
            let bytes = std::fs::read(path).map_err(|e| FontError::Unreadable {
                name: path.display().to_string(),
                reason: e.to_string(),
            })?;
            let data: &'static [u8] = Box::leak(bytes.into_boxed_slice());
            let stem = path.file_stem().map_or_else(
                || "font".to_string(),
                |s| {
                    s.to_string_lossy()
                        .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
                },
            );
            let name = if *index > 0 {
                format!("{stem}-{index}")
            } else {
                stem
            };
            faces.push(leak(Face::parse(&name, data, *index).map_err(
                |e| match e {
                    FontError::Unreadable { reason, .. } => FontError::Unreadable {
                        name: path.display().to_string(),
                        reason,
                    },
                },
            )?));
            Ok(FaceId((faces.len() - 1) as u16))
        };
        let mut regular = Vec::new();
        for source in &config.body {
            regular.push(add(source, FaceId(0))?);
        }
        let mut bold = Vec::new();
        for source in &config.heading {
            bold.push(add(source, FaceId(1))?);
        }
        let latin = config
            .latin
            .as_ref()
            .map(|s| add(s, FaceId(0)))
            .transpose()?;
        if regular.is_empty() {
            regular.push(FaceId(0));
        }
        for id in &regular {
            if !bold.contains(id) {
                bold.push(*id);
            }
        }
        let mut book = FontBook::new(faces, regular, bold);
        book.latin = latin;
        Ok(Box::leak(Box::new(book)))
    }

    /// A book from faces and, per weight, the fallback chain (first face that covers a
    /// character wins).
    ///
    /// Invariant: `regular` and `bold` are never empty (both constructors above end each chain
    /// with a built-in face), which [`FontBook::primary`] relies on. Private so it stays so.
    fn new(faces: Vec<&'static Face>, regular: Vec<FaceId>, bold: Vec<FaceId>) -> FontBook {
        FontBook {
            faces,
            regular,
            bold,
            latin: None,
            system: Vec::new(),
        }
    }

    pub fn face(&self, id: FaceId) -> &'static Face {
        self.faces[usize::from(id.0)]
    }

    pub fn faces(&self) -> impl Iterator<Item = (FaceId, &'static Face)> + '_ {
        self.faces
            .iter()
            .enumerate()
            .map(|(i, f)| (FaceId(i as u16), *f))
    }

    /// Whether face `id` was taken from the machine's fonts rather than configured.
    pub fn is_system(&self, id: FaceId) -> bool {
        self.system.contains(&id)
    }

    /// This book with, after its own faces, the installed faces that draw `chars` nearest
    /// in style to each weight's primary face; the characters no installed face has are
    /// returned beside it. The book is built once per process for each set of faces.
    ///
    /// The system faces are ordered by file and face index, whatever the characters asked
    /// for, so that a face's place does not depend on which other characters a process met.
    pub fn with_system_faces(
        &'static self,
        chars: &BTreeSet<char>,
    ) -> (&'static FontBook, BTreeSet<char>) {
        let wants =
            [Weight::Regular, Weight::Bold].map(|w| system::Want::of(self.face(self.primary(w))));
        let found = system::faces_for(chars, &wants);
        if found.chains.iter().all(Vec::is_empty) {
            return (self, found.missing);
        }
        (self.extended(&found.chains), found.missing)
    }

    /// This book with `chains` (system faces per weight, best first) after its own.
    fn extended(&'static self, chains: &[Vec<&'static system::Installed>; 2]) -> &'static FontBook {
        type Key = (usize, Vec<Vec<system::FaceKey>>);
        static BOOKS: Mutex<BTreeMap<Key, &'static FontBook>> = Mutex::new(BTreeMap::new());
        let key: Key = (
            std::ptr::from_ref(self) as usize,
            chains
                .iter()
                .map(|c| c.iter().map(|f| f.key()).collect())
                .collect(),
        );
        let mut books = BOOKS.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(book) = books.get(&key) {
            return book;
        }
        // Offered faces were read before (`system::faces_for`); the parsed face is kept.
        let mut added: Vec<(system::FaceKey, &'static Face)> = chains
            .iter()
            .flatten()
            .filter_map(|f| Some((f.key(), f.face()?)))
            .collect();
        added.sort_by(|a, b| a.0.cmp(&b.0));
        added.dedup_by(|a, b| a.0 == b.0);
        let mut faces = self.faces.clone();
        let first = faces.len();
        faces.extend(added.iter().map(|(_, face)| *face));
        let chain = |own: &[FaceId], system: &[&'static system::Installed]| {
            let ids = system.iter().filter_map(|installed| {
                let at = added.iter().position(|(key, _)| *key == installed.key())?;
                Some(FaceId((first + at) as u16))
            });
            own.iter().copied().chain(ids).collect::<Vec<_>>()
        };
        let regular = chain(&self.regular, &chains[0]);
        let bold = chain(&self.bold, &chains[1]);
        let book = FontBook {
            faces,
            regular,
            bold,
            latin: self.latin,
            system: (first..first + added.len())
                .map(|i| FaceId(i as u16))
                .collect(),
        };
        let book: &'static FontBook = Box::leak(Box::new(book));
        books.insert(key, book);
        book
    }

    /// Which system face supplies each of `chars`: (face name, characters), the regular
    /// chain's faces first, for the note a packet carries.
    pub fn system_supply(&self, chars: &BTreeSet<char>) -> Vec<(String, BTreeSet<char>)> {
        let mut supply: Vec<(FaceId, BTreeSet<char>)> = Vec::new();
        for weight in [Weight::Regular, Weight::Bold] {
            for &ch in chars {
                let Some(id) = self.resolve(weight, ch).filter(|id| self.is_system(*id)) else {
                    continue;
                };
                match supply.iter_mut().find(|(face, _)| *face == id) {
                    Some((_, supplied)) => {
                        supplied.insert(ch);
                    }
                    None => supply.push((id, BTreeSet::from([ch]))),
                }
            }
        }
        supply
            .into_iter()
            .map(|(id, chars)| (self.face(id).name().to_string(), chars))
            .collect()
    }

    /// The first face of `weight`'s chain that has a glyph for `ch`.
    pub fn resolve(&self, weight: Weight, ch: char) -> Option<FaceId> {
        let chain = match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        };
        let latin = self.latin.filter(|_| ch < '\u{2000}');
        latin
            .into_iter()
            .chain(chain.iter().copied())
            .find(|id| self.face(*id).covers(ch))
    }

    /// The primary face of `weight` (for vertical metrics).
    pub fn primary(&self, weight: Weight) -> FaceId {
        match weight {
            Weight::Regular => self.regular[0],
            Weight::Bold => self.bold[0],
        }
    }

    /// Whether some face of the regular chain covers `ch`. Whitespace and control characters
    /// that layout never draws count as covered.
    pub fn covers(&self, ch: char) -> bool {
        ch.is_whitespace() || self.resolve(Weight::Regular, ch).is_some()
    }

    /// The first character of `text` that no face covers.
    pub fn first_uncovered(&self, text: &str) -> Option<char> {
        self.uncovered(text).next()
    }

    /// The characters of `text` that no face covers, in text order.
    pub fn uncovered<'t>(&'t self, text: &'t str) -> impl Iterator<Item = char> + 't {
        text.chars().filter(|c| !self.covers(*c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_faces_cover_cjk_latin_and_punctuation() {
        let book = FontBook::builtin();
        for ch in "北京云声科技有限公司。，、；：？！（）《》「」“”ABCxyz0123456789—…".chars()
        {
            assert!(book.covers(ch), "{ch} U+{:04X} not covered", ch as u32);
        }
        assert!(book.resolve(Weight::Bold, '承').is_some());
    }

    #[test]
    fn cjk_is_one_em_and_latin_narrower() {
        let f = FontBook::builtin().face(FaceId(0));
        assert!((f.advance('中').unwrap() - 1.0).abs() < 1e-3);
        assert!(f.advance('i').unwrap() < 0.5);
        assert!(f.ascent() > 0.5 && f.descent() > 0.0);
    }

    #[test]
    fn remembered_lookups_agree_with_the_cmap() {
        let face = FontBook::builtin().face(FaceId(0));
        let probe = "承诺书Aa ，。😀\u{FFFF}\u{0}\u{10FFFF}";
        for _ in 0..2 {
            for ch in probe.chars() {
                let direct = face.face.glyph_index(ch).map(|g| g.0).filter(|&g| g != 0);
                assert_eq!(face.glyph_id(ch), direct, "{ch:?}");
                assert_eq!(face.covers(ch), direct.is_some(), "{ch:?}");
            }
        }
    }

    #[test]
    fn uncovered_character_is_found() {
        // U+1F600 (emoji) is outside the subset on purpose.
        assert_eq!(FontBook::builtin().first_uncovered("好😀"), Some('😀'));
    }
}
