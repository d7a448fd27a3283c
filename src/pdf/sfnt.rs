//! Turns a subset into the font program a PDF needs. TrueType: only the tables ISO 32000-1
//! §9.9 requires for a CIDFontType2 (`glyf`, `head`, `hhea`, `hmtx`, `loca`, `maxp`, and
//! the hinting tables when present). `subsetter` keeps `name` and `post`, which no viewer
//! reads from an embedded font (the PDF names the font itself): about 0.7 KB per font after
//! compression, in every packet. Written by hand because it is a table-directory rewrite of
//! forty lines; the font crates at hand read fonts or subset them, neither writes this. CFF:
//! the bare `CFF ` table ([`table`]).

/// Tables kept, in the order the directory lists them (ascending tags, as the format asks).
const KEPT: [&[u8; 4]; 9] = [
    b"cvt ", b"fpgm", b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp", b"prep",
];

/// The program with only the [`KEPT`] tables, or `None` when it is not a TrueType font
/// (CFF programs are embedded as they come) or its directory is damaged.
pub(super) fn pdf_tables_only(program: &[u8]) -> Option<Vec<u8>> {
    if program.get(..4)? != [0, 1, 0, 0] {
        return None;
    }
    let count = usize::from(u16::from_be_bytes([*program.get(4)?, *program.get(5)?]));
    let mut tables = Vec::new();
    for i in 0..count {
        let record = program.get(12 + 16 * i..28 + 16 * i)?;
        let tag: [u8; 4] = record[..4].try_into().ok()?;
        let offset = be_u32(&record[8..12]) as usize;
        let length = be_u32(&record[12..16]) as usize;
        if KEPT.contains(&&tag) {
            tables.push((tag, program.get(offset..offset.checked_add(length)?)?));
        }
    }
    tables.sort_by_key(|(tag, _)| *tag);
    Some(assemble(&tables))
}

/// The bytes of table `tag` in a single-font OpenType `program` (as `subsetter` writes
/// it), or `None` when the directory lacks it or is damaged. A CFF face's per-packet subset
/// is embedded as its bare `CFF ` table (`/FontFile3 /Subtype /CIDFontType0C`): the
/// `head`, `hmtx`, `maxp`, `name` and `post` tables around it are of no use to a viewer.
pub(super) fn table<'a>(program: &'a [u8], tag: &[u8; 4]) -> Option<&'a [u8]> {
    let count = usize::from(u16::from_be_bytes([*program.get(4)?, *program.get(5)?]));
    (0..count).find_map(|i| {
        let record = program.get(12 + 16 * i..28 + 16 * i)?;
        if &record[..4] != tag {
            return None;
        }
        let offset = be_u32(&record[8..12]) as usize;
        let length = be_u32(&record[12..16]) as usize;
        program.get(offset..offset.checked_add(length)?)
    })
}

/// A font file from `tables` (sorted by tag): header, directory, then each table padded to
/// four bytes; table checksums and `head.checkSumAdjustment` as the format defines them.
fn assemble(tables: &[([u8; 4], &[u8])]) -> Vec<u8> {
    let count = tables.len() as u16;
    let selector = 15 - count.max(1).leading_zeros() as u16;
    let search_range = (1u16 << selector) * 16;
    let mut out = Vec::new();
    out.extend([0, 1, 0, 0]);
    for field in [count, search_range, selector, count * 16 - search_range] {
        out.extend(field.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, data) in tables {
        let mut data = data.to_vec();
        if tag == b"head" && data.len() >= 12 {
            data[8..12].fill(0);
            head_at = Some(offset);
        }
        out.extend(tag);
        out.extend(checksum(&data).to_be_bytes());
        out.extend((offset as u32).to_be_bytes());
        out.extend((data.len() as u32).to_be_bytes());
        offset += data.len().next_multiple_of(4);
    }
    for (tag, data) in tables {
        let start = out.len();
        out.extend(*data);
        if tag == b"head" && data.len() >= 12 {
            out[start + 8..start + 12].fill(0);
        }
        out.resize(out.len().next_multiple_of(4), 0);
    }
    if let Some(at) = head_at {
        let adjustment = 0xB1B0_AFBA_u32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjustment.to_be_bytes());
    }
    out
}

fn be_u32(bytes: &[u8]) -> u32 {
    u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

/// The sum of the data as big-endian 32-bit words, the last one padded with zeros.
fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::{FaceId, FontBook};

    fn subset_program(text: &str) -> Vec<u8> {
        subset_of(crate::pdf::fonts::tests::truetype(), text)
    }

    fn subset_of(face: &crate::fonts::Face, text: &str) -> Vec<u8> {
        let mut glyphs = subsetter::GlyphRemapper::new();
        for ch in text.chars() {
            glyphs.remap(face.glyph_id(ch).expect("covered"));
        }
        subsetter::subset(face.data(), face.index(), &glyphs).expect("subset")
    }

    fn tags(program: &[u8]) -> Vec<String> {
        let face = ttf_parser::RawFace::parse(program, 0).expect("a font");
        face.table_records
            .into_iter()
            .map(|r| String::from_utf8_lossy(&r.tag.to_bytes()).into_owned())
            .collect()
    }

    #[test]
    fn keeps_what_a_pdf_needs_and_drops_name_and_post() {
        let program = subset_program("承诺书 Commitment");
        assert!(tags(&program).contains(&"name".to_string()));
        let stripped = pdf_tables_only(&program).expect("TrueType");
        assert_eq!(
            tags(&stripped),
            ["glyf", "head", "hhea", "hmtx", "loca", "maxp"]
        );
        assert!(stripped.len() < program.len());
    }

    #[test]
    fn glyphs_and_metrics_survive() {
        let program = subset_program("承诺书");
        let stripped = pdf_tables_only(&program).expect("TrueType");
        let before = ttf_parser::Face::parse(&program, 0).expect("parses");
        let after = ttf_parser::Face::parse(&stripped, 0).expect("still parses");
        assert_eq!(before.number_of_glyphs(), after.number_of_glyphs());
        for gid in 0..after.number_of_glyphs() {
            let id = ttf_parser::GlyphId(gid);
            assert_eq!(before.glyph_hor_advance(id), after.glyph_hor_advance(id));
            assert_eq!(before.glyph_bounding_box(id), after.glyph_bounding_box(id));
        }
    }

    #[test]
    fn whole_file_checksums_to_the_magic_number() {
        let stripped = pdf_tables_only(&subset_program("书")).expect("TrueType");
        assert_eq!(checksum(&stripped), 0xB1B0_AFBA);
    }

    #[test]
    fn finds_a_table_by_tag() {
        let program = subset_of(FontBook::builtin().face(FaceId(0)), "承诺书");
        assert_eq!(pdf_tables_only(&program), None, "CFF is not stripped");
        let cff = table(&program, b"CFF ").expect("a CFF table");
        assert!(ttf_parser::cff::Table::parse(cff).is_some());
        assert_eq!(table(&program, b"glyf"), None);
        let truetype = subset_program("承诺书");
        assert_eq!(table(&truetype, b"CFF "), None);
        assert!(table(&truetype, b"glyf").is_some());
        assert_eq!(table(b"OTTO\0\0", b"CFF "), None);
    }

    #[test]
    fn other_programs_are_left_alone() {
        assert_eq!(pdf_tables_only(b"OTTO\0\0\0\0"), None);
        assert_eq!(pdf_tables_only(&[0, 1, 0, 0, 0, 9]), None);
    }
}
