//! Embeds the faces a packet draws with as per-packet subsets: Type0 fonts with Identity-H
//! encoding whose character codes are the subset's glyph ids, with `/W` widths and a
//! ToUnicode CMap so the text can be searched and copied.
//!
//! `subsetter` (the subsetter Typst uses) cuts the font program; the PDF objects around it
//! are built here from the face the layout already parsed. printpdf's own font path parsed
//! every face a second time, re-parsed each subset and decoded every glyph outline to read
//! advances it already had: about 20 ms of the writer's 35 ms per packet. Names derive from
//! the face and the characters drawn, never from a counter, so the same packet gives the
//! same bytes whatever the process wrote before.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};
use subsetter::GlyphRemapper;

use crate::fonts::{Face, FaceId, FontBook};
use crate::layout::LaidOutPacket;

use super::PdfError;

/// The glyphs of one face that one packet draws, numbered as in the embedded subset.
pub(super) struct FontSubset {
    face: FaceId,
    /// Resource name in the page dictionaries (`/F0`, `/F1`, …).
    resource: String,
    /// Six capitals, a hash of the face and characters (ISO 32000-1 §9.6.4).
    tag: String,
    /// Original glyph id → subset glyph id (= CID under Identity-H).
    glyphs: GlyphRemapper,
    /// Subset glyph id → the character it draws, for ToUnicode.
    unicode: BTreeMap<u16, char>,
    /// Character → code, for every character the subset was made for (characters that share
    /// a glyph share its code): the page writer asks once per character drawn.
    codes: FxHashMap<char, u16>,
}

impl FontSubset {
    pub(super) fn resource(&self) -> &str {
        &self.resource
    }

    /// The code that draws `ch` with this subset: the subset's glyph id, when `ch` was
    /// among the characters the subset was made for.
    pub(super) fn code(&self, ch: char) -> Option<u16> {
        self.codes.get(&ch).copied()
    }
}

/// Plans one subset per face the packet draws with, after checking every character has a
/// glyph (an empty box must never stand in for a character).
pub(super) fn subsets(
    packet: &LaidOutPacket,
    book: &FontBook,
) -> Result<BTreeMap<FaceId, FontSubset>, PdfError> {
    let used = characters_by_face(packet);
    check_coverage(&used, book)?;
    Ok(used
        .iter()
        .map(|(id, chars)| {
            let mut subset = subset(*id, book.face(*id), chars);
            if book.is_system(*id) {
                subset.resource = system_resource(&subset.tag);
            }
            (*id, subset)
        })
        .collect())
}

/// The resource name of an installed face's subset: from its tag (face and characters)
/// rather than its place in the book, which depends on the other rare characters the
/// process met, so the packet's bytes do not.
fn system_resource(tag: &str) -> String {
    format!("S{tag}")
}

pub(super) fn subset(id: FaceId, face: &Face, chars: &BTreeSet<char>) -> FontSubset {
    let mut glyphs = GlyphRemapper::new();
    let mut unicode = BTreeMap::new();
    // Ascending glyph ids give the subset the same glyph order as the face, which keeps
    // the font program's layout (and so its bytes) independent of character order.
    let by_gid: BTreeMap<u16, char> = chars
        .iter()
        .rev()
        .filter_map(|&ch| face.glyph_id(ch).map(|gid| (gid, ch)))
        .collect();
    for (gid, ch) in by_gid {
        unicode.insert(glyphs.remap(gid), ch);
    }
    // After every glyph is numbered.
    let codes = chars
        .iter()
        .filter_map(|&ch| Some((ch, glyphs.get(face.glyph_id(ch)?)?)))
        .collect();
    FontSubset {
        face: id,
        resource: format!("F{}", id.0),
        tag: subset_tag(face, chars),
        glyphs,
        unicode,
        codes,
    }
}

/// The characters drawn with each face, in face order (so iteration is deterministic).
pub(super) fn characters_by_face(packet: &LaidOutPacket) -> BTreeMap<FaceId, BTreeSet<char>> {
    // Gathered, then sorted once: a packet draws some 15,000 characters of a few hundred
    // distinct ones, and inserting each into a tree was most of the writer's planning.
    let mut drawn: BTreeMap<FaceId, Vec<char>> = BTreeMap::new();
    for run in packet.pages.iter().flat_map(|page| page.runs()) {
        drawn.entry(run.face).or_default().extend(run.text.chars());
    }
    drawn
        .into_iter()
        .map(|(face, mut chars)| {
            chars.sort_unstable();
            chars.dedup();
            (face, chars.into_iter().collect())
        })
        .collect()
}

/// Checks that every face exists in the book and has a glyph for every character drawn with
/// it.
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

/// A hash of the face name and the characters used, as six capitals: a different subset of
/// the same face gets a different tag, and the same subset always the same one.
fn subset_tag(face: &Face, chars: &BTreeSet<char>) -> String {
    let mut hasher = Sha256::new();
    hasher.update(face.name().as_bytes());
    hasher.update([0]);
    for ch in chars {
        hasher.update(u32::from(*ch).to_be_bytes());
    }
    hasher
        .finalize()
        .iter()
        .take(6)
        .map(|byte| char::from(b'A' + byte % 26))
        .collect()
}

/// Adds the font objects of every subset to `doc` and names them in the font resource
/// dictionary that printpdf's pages share.
/// The embedded program of one face's subset: a `/FontFile2` or `/FontFile3` stream,
/// already compressed.
pub(super) struct FontProgram {
    key: &'static str,
    stream: Stream,
}

/// Cuts and compresses the program of every subset, side by side. This is the longest part
/// of writing a packet (the regular face's program alone is most of the bytes), and needs
/// nothing but the glyphs, so `pdf::write` runs it beside the page serialisation.
pub(super) fn programs(
    subsets: &BTreeMap<FaceId, FontSubset>,
    book: &FontBook,
) -> Result<BTreeMap<FaceId, FontProgram>, PdfError> {
    use rayon::prelude::*;
    subsets
        .par_iter()
        .map(|(id, subset)| {
            let mut program = program(subset, book.face(*id))?;
            super::patch::deflate_font_program(&mut program.stream)?;
            Ok((*id, program))
        })
        .collect()
}

fn program(subset: &FontSubset, face: &Face) -> Result<FontProgram, PdfError> {
    Ok(if face.ttf().tables().cff.is_some() {
        // A bare CID-keyed CFF program (ISO 32000-1 Table 126).
        let dict =
            Dictionary::from_iter(vec![("Subtype", Object::Name(b"CIDFontType0C".to_vec()))]);
        FontProgram {
            key: "FontFile3",
            stream: Stream::new(dict, cff_program(subset, face)?),
        }
    } else {
        let program = subsetter_program(subset, face)?;
        let program = super::sfnt::pdf_tables_only(&program).unwrap_or(program);
        let dict = Dictionary::from_iter(vec![("Length1", Object::Integer(program.len() as i64))]);
        FontProgram {
            key: "FontFile2",
            stream: Stream::new(dict, program),
        }
    })
}

/// Adds a Type0 font for every subset, with its program from [`programs`], to the pages'
/// shared font dictionary.
pub(super) fn install(
    doc: &mut Document,
    subsets: &BTreeMap<FaceId, FontSubset>,
    mut programs: BTreeMap<FaceId, FontProgram>,
    book: &FontBook,
) -> Result<(), PdfError> {
    let Some(fonts_id) = shared_font_dictionary(doc) else {
        return Err(PdfError::Writer(
            "the pages have no shared font dictionary".into(),
        ));
    };
    let mut entries = Vec::new();
    for (id, subset) in subsets {
        let program = programs
            .remove(id)
            .ok_or_else(|| PdfError::Writer(format!("no font program for {}", subset.resource)))?;
        let font = type0_font(doc, subset, program, book.face(subset.face))?;
        entries.push((subset.resource.clone(), Object::Reference(font)));
    }
    let Ok(Object::Dictionary(fonts)) = doc.get_object_mut(fonts_id) else {
        return Err(PdfError::Writer(
            "the font resource is not a dictionary".into(),
        ));
    };
    for (name, font) in entries {
        fonts.set(name, font);
    }
    Ok(())
}

/// printpdf gives every page the same `/Font` resource dictionary, by reference.
fn shared_font_dictionary(doc: &Document) -> Option<ObjectId> {
    let (_, page) = doc.get_pages().into_iter().next()?;
    let resources = doc.get_dictionary(page).ok()?.get(b"Resources").ok()?;
    let resources = doc.dereference(resources).ok()?.1.as_dict().ok()?;
    resources.get(b"Font").ok()?.as_reference().ok()
}

fn type0_font(
    doc: &mut Document,
    subset: &FontSubset,
    program: FontProgram,
    face: &Face,
) -> Result<ObjectId, PdfError> {
    let base_font = format!("{}+{}", subset.tag, postscript_name(face));
    let cff = face.ttf().tables().cff.is_some();
    let file = (program.key, program.stream);
    let file_id = doc.add_object(file.1);
    let mut descriptor = descriptor(face, &base_font);
    descriptor.set(file.0, Object::Reference(file_id));
    let descriptor_id = doc.add_object(descriptor);

    let mut cid_font = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Font".to_vec())),
        (
            "Subtype",
            Object::Name(if cff { "CIDFontType0" } else { "CIDFontType2" }.into()),
        ),
        ("BaseFont", Object::Name(base_font.clone().into_bytes())),
        (
            "CIDSystemInfo",
            Object::Dictionary(Dictionary::from_iter(vec![
                ("Registry", Object::string_literal("Adobe")),
                ("Ordering", Object::string_literal("Identity")),
                ("Supplement", Object::Integer(0)),
            ])),
        ),
        ("FontDescriptor", Object::Reference(descriptor_id)),
        ("DW", Object::Integer(1000)),
        ("W", widths(subset, face)),
    ]);
    if !cff {
        cid_font.set("CIDToGIDMap", Object::Name(b"Identity".to_vec()));
    }
    let cid_font_id = doc.add_object(cid_font);
    let to_unicode = doc.add_object(Stream::new(
        Dictionary::new(),
        to_unicode_cmap(&subset.unicode).into_bytes(),
    ));
    Ok(doc.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"Type0".to_vec())),
        ("BaseFont", Object::Name(base_font.into_bytes())),
        ("Encoding", Object::Name(b"Identity-H".to_vec())),
        (
            "DescendantFonts",
            Object::Array(vec![Object::Reference(cid_font_id)]),
        ),
        ("ToUnicode", Object::Reference(to_unicode)),
    ])))
}

/// The subset as `subsetter` writes it: an OpenType font.
fn subsetter_program(subset: &FontSubset, face: &Face) -> Result<Vec<u8>, PdfError> {
    subsetter::subset(face.data(), face.index(), &subset.glyphs).map_err(|e| PdfError::Subset {
        face: face.name().to_string(),
        reason: e.to_string(),
    })
}

/// The bare CFF program of a CFF face's subset. Both ways of cutting it write it CID-keyed
/// (`subsetter` converts a name-keyed CFF) with the identity charset: CID n is the subset's
/// glyph n, so the codes the content streams write (subset glyph ids, under Identity-H)
/// select the same glyphs through the charset as through the glyph order. A CID-keyed CFF
/// without subroutines (the built-in faces) is cut by copying its charstrings
/// ([`super::cff`]): 0.02 ms for the renewal sample's Regular, against 3.5 ms with
/// `subsetter`, which decodes and encodes each one.
fn cff_program(subset: &FontSubset, face: &Face) -> Result<Vec<u8>, PdfError> {
    let table = face
        .ttf()
        .raw_face()
        .table(ttf_parser::Tag::from_bytes(b"CFF "));
    if let Some(program) = table.and_then(|cff| super::cff::subset(cff, &subset.glyphs)) {
        return Ok(program);
    }
    let program = subsetter_program(subset, face)?;
    super::sfnt::table(&program, b"CFF ")
        .map(<[u8]>::to_vec)
        .ok_or_else(|| PdfError::Subset {
            face: face.name().to_string(),
            reason: "the subset has no CFF table".into(),
        })
}

/// The face's PostScript name (name ID 6), or its file name without characters a PDF name
/// would have to escape.
fn postscript_name(face: &Face) -> String {
    let from_table = face
        .ttf()
        .names()
        .into_iter()
        .filter(|name| name.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
        .find_map(|name| name.to_string());
    let raw = from_table.unwrap_or_else(|| face.name().to_string());
    let clean: String = raw
        .chars()
        .filter(|c| c.is_ascii_graphic() && !"()<>[]{}/%#".contains(*c))
        .collect();
    if clean.is_empty() {
        "Font".to_string()
    } else {
        clean
    }
}

/// The font descriptor (ISO 32000-1 Table 122), metrics in 1/1000 em.
fn descriptor(face: &Face, base_font: &str) -> Dictionary {
    let ttf = face.ttf();
    let scale = 1000.0 / f32::from(ttf.units_per_em().max(1));
    let units = |v: i16| Object::Integer((f32::from(v) * scale).round() as i64);
    let bbox = ttf.global_bounding_box();
    let italic = ttf.italic_angle();
    // Symbolic (bit 3): the characters lie outside the standard Latin set; italic (bit 7).
    let flags = 4 | if italic != 0.0 { 64 } else { 0 };
    // No table records stem widths; this is the usual estimate from the weight class.
    let weight = f32::from(ttf.weight().to_number());
    let stem_v = 50 + (weight / 65.0).powi(2).round() as i64;
    Dictionary::from_iter(vec![
        ("Type", Object::Name(b"FontDescriptor".to_vec())),
        ("FontName", Object::Name(base_font.as_bytes().to_vec())),
        ("Flags", Object::Integer(flags)),
        (
            "FontBBox",
            Object::Array(vec![
                units(bbox.x_min),
                units(bbox.y_min),
                units(bbox.x_max),
                units(bbox.y_max),
            ]),
        ),
        ("ItalicAngle", Object::Real(italic)),
        ("Ascent", units(ttf.ascender())),
        ("Descent", units(ttf.descender())),
        (
            "CapHeight",
            units(ttf.capital_height().unwrap_or(ttf.ascender())),
        ),
        ("StemV", Object::Integer(stem_v)),
    ])
}

/// `/W` as one run from CID 0: `[0 [w0 w1 …]]`, advances in 1/1000 em as the layout
/// measured them.
fn widths(subset: &FontSubset, face: &Face) -> Object {
    let ttf = face.ttf();
    let scale = 1000.0 / f32::from(ttf.units_per_em().max(1));
    let advances = subset
        .glyphs
        .remapped_gids()
        .map(|gid| {
            let advance = ttf.glyph_hor_advance(ttf_parser::GlyphId(gid)).unwrap_or(0);
            Object::Integer((f32::from(advance) * scale).round() as i64)
        })
        .collect();
    Object::Array(vec![Object::Integer(0), Object::Array(advances)])
}

/// A ToUnicode CMap (Adobe Technical Note #5411). Subset codes are consecutive, so each
/// run of codes sharing a high byte is one `bfrange` line with an array of destinations
/// (`<0001> <0060> [<0020> <0027> …]`) rather than one `bfchar` line per glyph: the code
/// column, which deflate cannot predict, is written twice per run instead of once per
/// glyph. On the renewal sample that is 1.9 KB of CMaps instead of 2.9 KB after
/// compression. Plain ranges (`<lo> <hi> <dst>`) pay only where code and character both
/// count up, which sparse CJK subsets rarely do (the same sample saved 0.14 KB with them).
/// Sections hold at most 100 lines, as the note requires; the spacing is what lopdf's
/// CMap parser (used by tests and by callers extracting text) accepts.
fn to_unicode_cmap(unicode: &BTreeMap<u16, char>) -> String {
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let runs = code_runs(unicode);
    for block in runs.chunks(100) {
        let _ = writeln!(cmap, "{} beginbfrange", block.len());
        for (first, chars) in block {
            let last = *first + (chars.len() - 1) as u16;
            let _ = write!(cmap, "<{first:04X}> <{last:04X}> [");
            for (i, ch) in chars.iter().enumerate() {
                if i > 0 {
                    cmap.push(' ');
                }
                let mut units = [0u16; 2];
                cmap.push('<');
                for unit in ch.encode_utf16(&mut units) {
                    let _ = write!(cmap, "{unit:04X}");
                }
                cmap.push('>');
            }
            cmap.push_str("]\n");
        }
        cmap.push_str("endbfrange\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    cmap
}

/// The codes as runs of consecutive codes, each with the characters they draw in code
/// order. A run never crosses a high-byte boundary: a `bfrange`'s two ends may differ only
/// in their last byte.
fn code_runs(unicode: &BTreeMap<u16, char>) -> Vec<(u16, Vec<char>)> {
    let mut runs: Vec<(u16, Vec<char>)> = Vec::new();
    for (&code, &ch) in unicode {
        match runs.last_mut() {
            Some((first, chars))
                if usize::from(*first) + chars.len() == usize::from(code)
                    && first.to_be_bytes()[0] == code.to_be_bytes()[0] =>
            {
                chars.push(ch)
            }
            _ => runs.push((code, vec![ch])),
        }
    }
    runs
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    fn regular() -> &'static Face {
        FontBook::builtin().face(FaceId(0))
    }

    /// A TrueType face: a few characters of the Noto Serif SC TrueType conversion the
    /// built-in faces were made from before (`tests/fixtures/fonts`).
    pub(in crate::pdf) fn truetype() -> &'static Face {
        static FACE: std::sync::OnceLock<Face> = std::sync::OnceLock::new();
        FACE.get_or_init(|| {
            let data = include_bytes!("../../tests/fixtures/fonts/NotoSerifSC-Regular.sample.ttf");
            Face::parse("NotoSerifSC-Sample", data, 0).expect("the fixture parses")
        })
    }

    /// A glyph's outline as the list of its path commands.
    #[derive(Debug, Default, PartialEq)]
    struct Outline(Vec<(char, [i32; 6])>);

    impl ttf_parser::OutlineBuilder for Outline {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0.push(('M', [x as i32, y as i32, 0, 0, 0, 0]));
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0.push(('L', [x as i32, y as i32, 0, 0, 0, 0]));
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            self.0
                .push(('Q', [x1 as i32, y1 as i32, x as i32, y as i32, 0, 0]));
        }
        fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
            let c = [x1, y1, x2, y2, x, y].map(|v| v as i32);
            self.0.push(('C', c));
        }
        fn close(&mut self) {
            self.0.push(('Z', [0; 6]));
        }
    }

    fn face_outline(face: &ttf_parser::Face, gid: u16) -> Outline {
        let mut outline = Outline::default();
        face.outline_glyph(ttf_parser::GlyphId(gid), &mut outline);
        outline
    }

    /// The Type0 font `type0_font` writes for `chars` of `face`: the CIDFont dictionary, and
    /// the font file's key in the descriptor with its stream.
    fn embedded(face: &Face, chars: &str) -> (FontSubset, Dictionary, String, Stream) {
        let chars: BTreeSet<char> = chars.chars().collect();
        let subset = subset(FaceId(0), face, &chars);
        let mut doc = Document::with_version("1.7");
        let program = program(&subset, face).expect("subsets");
        let font = type0_font(&mut doc, &subset, program, face).expect("embeds");
        let font = doc.get_dictionary(font).unwrap();
        let Ok(Object::Array(descendants)) = font.get(b"DescendantFonts") else {
            panic!("no descendant font")
        };
        let cid_font = doc
            .get_dictionary(descendants[0].as_reference().unwrap())
            .unwrap()
            .clone();
        let descriptor = cid_font.get(b"FontDescriptor").unwrap().as_reference();
        let descriptor = doc.get_dictionary(descriptor.unwrap()).unwrap();
        let (key, file) = ["FontFile2", "FontFile3"]
            .into_iter()
            .find_map(|key| Some((key, descriptor.get(key.as_bytes()).ok()?)))
            .expect("a font file");
        let stream = doc
            .get_object(file.as_reference().unwrap())
            .unwrap()
            .as_stream()
            .unwrap()
            .clone();
        (subset, cid_font, key.to_string(), stream)
    }

    fn name<'a>(dict: &'a Dictionary, key: &str) -> &'a [u8] {
        dict.get(key.as_bytes()).unwrap().as_name().unwrap()
    }

    const SAMPLE: &str = "承诺书中文，。 Commitment";

    #[test]
    fn cff_face_is_embedded_as_bare_cid_keyed_cff() {
        let face = regular();
        assert!(
            face.ttf().tables().cff.is_some(),
            "the built-in face is CFF"
        );
        let (_, cid_font, key, file) = embedded(face, SAMPLE);
        assert_eq!(name(&cid_font, "Subtype"), b"CIDFontType0");
        assert!(cid_font.get(b"CIDToGIDMap").is_err(), "Type 0 has none");
        assert_eq!(key, "FontFile3");
        assert_eq!(name(&file.dict, "Subtype"), b"CIDFontType0C");
        // A CFF header (major version 1), not an OpenType wrapper (`OTTO`).
        assert_eq!(file.content[..2], [1, 0]);
        assert!(ttf_parser::cff::Table::parse(&file.content).is_some());
    }

    /// A CFF face with subroutines: a few characters of Noto Serif CJK SC as Debian ships
    /// it (`tests/fixtures/fonts`).
    fn subroutinized() -> &'static Face {
        static FACE: std::sync::OnceLock<Face> = std::sync::OnceLock::new();
        FACE.get_or_init(|| {
            let data = include_bytes!(
                "../../tests/fixtures/fonts/NotoSerifCJKsc-Regular.sample-subrs.otf"
            );
            Face::parse("NotoSerifCJKsc-Sample", data, 0).expect("the fixture parses")
        })
    }

    fn cff_table(face: &Face) -> &[u8] {
        let tag = ttf_parser::Tag::from_bytes(b"CFF ");
        face.ttf().raw_face().table(tag).expect("a CFF table")
    }

    /// Under Identity-H a code is a CID; a CID-keyed CFF finds the glyph of a CID through
    /// its charset, not by position. Every code the content streams would write must
    /// select, through the embedded charset, the outline the face has for the character.
    fn assert_codes_select_the_characters_glyphs(face: &Face) {
        let (subset, _, key, file) = embedded(face, SAMPLE);
        assert_eq!(key, "FontFile3");
        let cff = ttf_parser::cff::Table::parse(&file.content).expect("a CFF program");
        let glyph_of_cid = |cid: u16| {
            (0..cff.number_of_glyphs())
                .find(|&gid| cff.glyph_cid(ttf_parser::GlyphId(gid)) == Some(cid))
                .expect("every code is a CID of the program")
        };
        let mut seen = Vec::new();
        for ch in SAMPLE.chars().filter(|ch| *ch != ' ') {
            let code = subset.code(ch).expect("in the subset");
            let mut embedded = Outline::default();
            cff.outline(ttf_parser::GlyphId(glyph_of_cid(code)), &mut embedded)
                .expect("an outline");
            let original = face_outline(face.ttf(), face.glyph_id(ch).unwrap());
            assert!(!original.0.is_empty(), "{ch}");
            assert_eq!(embedded, original, "code {code} does not draw {ch}");
            seen.push(embedded);
        }
        // The comparison can tell glyphs apart.
        assert_ne!(seen[0], seen[1]);
    }

    #[test]
    fn cff_codes_select_the_characters_glyphs_through_the_charset() {
        // The built-in face has no subroutines: its subsets are copied (`super::cff`).
        let chars: BTreeSet<char> = SAMPLE.chars().collect();
        let subset = subset(FaceId(0), regular(), &chars);
        assert!(crate::pdf::cff::subset(cff_table(regular()), &subset.glyphs).is_some());
        assert_codes_select_the_characters_glyphs(regular());
    }

    #[test]
    fn cff_with_subroutines_is_cut_by_subsetter_and_draws_the_characters() {
        let face = subroutinized();
        let chars: BTreeSet<char> = SAMPLE.chars().collect();
        let subset = subset(FaceId(0), face, &chars);
        assert!(
            crate::pdf::cff::subset(cff_table(face), &subset.glyphs).is_none(),
            "the copying path refuses subroutines"
        );
        assert_codes_select_the_characters_glyphs(face);
    }

    /// The copied program and `subsetter`'s give every CID the same outline.
    #[test]
    fn copied_and_subsetter_cff_programs_agree() {
        let chars: BTreeSet<char> = "承诺书中文，。 Commitment 0123456789".chars().collect();
        let subset = subset(FaceId(0), regular(), &chars);
        let copied = crate::pdf::cff::subset(cff_table(regular()), &subset.glyphs).unwrap();
        let full = subsetter_program(&subset, regular()).unwrap();
        let cut = crate::pdf::sfnt::table(&full, b"CFF ").unwrap();
        let (a, b) = (
            ttf_parser::cff::Table::parse(&copied).unwrap(),
            ttf_parser::cff::Table::parse(cut).unwrap(),
        );
        assert_eq!(a.number_of_glyphs(), b.number_of_glyphs());
        assert_eq!(a.number_of_glyphs(), subset.glyphs.num_gids());
        for gid in 0..a.number_of_glyphs() {
            let id = ttf_parser::GlyphId(gid);
            assert_eq!(a.glyph_cid(id), Some(gid));
            assert_eq!(b.glyph_cid(id), Some(gid));
            let (mut x, mut y) = (Outline::default(), Outline::default());
            let _ = a.outline(id, &mut x);
            let _ = b.outline(id, &mut y);
            assert_eq!(x, y, "glyph {gid}");
        }
    }

    #[test]
    fn truetype_face_is_embedded_as_cid_font_type2_drawing_the_characters() {
        let face = truetype();
        assert!(face.ttf().tables().glyf.is_some());
        let (subset, cid_font, key, file) = embedded(face, SAMPLE);
        assert_eq!(name(&cid_font, "Subtype"), b"CIDFontType2");
        assert_eq!(name(&cid_font, "CIDToGIDMap"), b"Identity");
        assert_eq!(key, "FontFile2");
        let program = ttf_parser::Face::parse(&file.content, 0).expect("a TrueType program");
        for ch in SAMPLE.chars().filter(|ch| *ch != ' ') {
            let code = subset.code(ch).expect("in the subset");
            let original = face_outline(face.ttf(), face.glyph_id(ch).unwrap());
            assert!(!original.0.is_empty(), "{ch}");
            assert_eq!(face_outline(&program, code), original, "{ch}");
        }
    }

    #[test]
    fn subset_tag_is_six_capitals_and_depends_on_characters() {
        let a: BTreeSet<char> = "承诺书".chars().collect();
        let b: BTreeSet<char> = "承诺".chars().collect();
        let tag = subset_tag(regular(), &a);
        assert_eq!(tag.len(), 6);
        assert!(tag.chars().all(|c| c.is_ascii_uppercase()), "{tag}");
        assert_eq!(tag, subset_tag(regular(), &a));
        assert_ne!(tag, subset_tag(regular(), &b));
    }

    #[test]
    fn codes_follow_glyph_order_and_map_back_to_their_characters() {
        let chars: BTreeSet<char> = "书承诺 A".chars().collect();
        let subset = subset(FaceId(0), regular(), &chars);
        let mut codes: Vec<(u16, char)> = chars
            .iter()
            .map(|&ch| (subset.code(ch).unwrap(), ch))
            .collect();
        codes.sort();
        assert_eq!(codes.first().map(|c| c.0), Some(1), "0 stays .notdef");
        for (code, ch) in &codes {
            assert_eq!(subset.unicode.get(code), Some(ch));
        }
        // Ascending codes draw ascending original glyphs.
        let gids: Vec<u16> = codes
            .iter()
            .map(|(_, ch)| regular().glyph_id(*ch).unwrap())
            .collect();
        assert!(gids.windows(2).all(|w| w[0] < w[1]), "{gids:?}");
        assert_eq!(subset.code('好'), None);
    }

    /// `codes` decoded through `cmap` the way lopdf's `Document::extract_text` decodes a
    /// Type0 font's strings. lopdf falls back to another encoding, silently, when it cannot
    /// parse a CMap, so a CMap it rejects gives the wrong text here.
    fn decode(cmap: &str, codes: &[u16]) -> String {
        let mut doc = Document::with_version("1.7");
        let to_unicode = doc.add_object(Stream::new(Dictionary::new(), cmap.as_bytes().to_vec()));
        let font = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Font".to_vec())),
            ("Subtype", Object::Name(b"Type0".to_vec())),
            ("Encoding", Object::Name(b"Identity-H".to_vec())),
            ("ToUnicode", Object::Reference(to_unicode)),
        ]);
        let bytes: Vec<u8> = codes.iter().flat_map(|c| c.to_be_bytes()).collect();
        font.get_font_encoding(&doc)
            .expect("an encoding")
            .bytes_to_string(&bytes)
            .expect("decodes")
    }

    #[test]
    fn to_unicode_maps_every_code_to_its_character() {
        // Codes 1–300 cross the 0x00FF/0x0100 boundary; a gap at 50, a non-BMP character
        // and a run of consecutive characters (where a plain range would also fit).
        let unicode: BTreeMap<u16, char> = (1..=300u16)
            .filter(|code| *code != 50)
            .map(|code| (code, char::from_u32(0x4E00 + 7 * u32::from(code)).unwrap()))
            .chain([(301, '😀'), (302, 'A'), (303, 'B'), (304, 'C')])
            .collect();
        let cmap = to_unicode_cmap(&unicode);
        let codes: Vec<u16> = unicode.keys().copied().collect();
        let expected: String = unicode.values().collect();
        assert_eq!(decode(&cmap, &codes), expected, "{cmap}");
        // One line per run of consecutive codes within a high byte: 1–49, 51–255, 256–304.
        assert!(cmap.contains("3 beginbfrange"), "{cmap}");
        assert!(cmap.contains("<0001> <0031> [<4E07> <4E0E>"), "{cmap}");
        assert!(cmap.contains("<0033> <00FF> ["), "{cmap}");
        assert!(cmap.contains("<0100> <0130> ["), "{cmap}");
        assert!(cmap.contains("<D83DDE00> <0041> <0042> <0043>]"), "{cmap}");
        assert!(!cmap.contains("bfchar"));
    }

    #[test]
    fn to_unicode_sections_hold_at_most_a_hundred_lines() {
        // Every other code: 150 runs of one code each.
        let unicode: BTreeMap<u16, char> = (1..=150u16)
            .map(|i| (2 * i, char::from_u32(0x4E00 + u32::from(i)).unwrap()))
            .collect();
        let cmap = to_unicode_cmap(&unicode);
        assert!(cmap.contains("100 beginbfrange") && cmap.contains("50 beginbfrange"));
        let codes: Vec<u16> = unicode.keys().copied().collect();
        let expected: String = unicode.values().collect();
        assert_eq!(decode(&cmap, &codes), expected, "{cmap}");
    }

    #[test]
    fn widths_are_the_layout_advances_in_thousandths() {
        let chars: BTreeSet<char> = "承A".chars().collect();
        let subset = subset(FaceId(0), regular(), &chars);
        let Object::Array(w) = widths(&subset, regular()) else {
            panic!("not an array")
        };
        let Object::Array(advances) = &w[1] else {
            panic!("no width run")
        };
        let width = |ch: char| {
            let code = usize::from(subset.code(ch).unwrap());
            advances[code].as_i64().unwrap()
        };
        assert_eq!(width('承'), 1000);
        let latin = (regular().advance('A').unwrap() * 1000.0).round() as i64;
        assert_eq!(width('A'), latin);
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
