//! Per-packet subsets of CID-keyed CFF programs without subroutines (the built-in faces, see
//! fonts/README.md), written by copying the glyphs' charstrings as they are.
//!
//! `subsetter` decodes every charstring into operators and operands and encodes it again
//! (it desubroutinizes whatever it gets): 3.5 ms for the renewal sample's 525 Regular glyphs,
//! against 0.3 ms for the same glyphs as TrueType and 0.02 ms here. A charstring that calls no subroutine is
//! self-contained, so a font without subroutines can be subset by copying bytes: the top
//! DICT, strings, font DICTs and private DICTs of the used font DICTs as they are, the
//! charstrings of the kept glyphs in subset order, an identity charset (CID n = subset glyph
//! n, as `subsetter` writes it, so the codes the content streams write select the same
//! glyphs either way) and a new FDSelect. Any other CFF (name-keyed, with subroutines, or not
//! what this parser expects) gives `None`, and the caller uses `subsetter`.

use subsetter::GlyphRemapper;

/// Top DICT operators whose operands this module writes itself.
const CHARSET: u16 = 15;
const CHAR_STRINGS: u16 = 17;
const PRIVATE: u16 = 18;
const SUBRS: u16 = 19;
const ROS: u16 = 1230;
const CID_COUNT: u16 = 1234;
const FD_ARRAY: u16 = 1236;
const FD_SELECT: u16 = 1237;

/// The bare CFF program holding the glyphs of `glyphs` in its order, or `None` when `cff`
/// is not a CID-keyed CFF without subroutines.
pub(super) fn subset(cff: &[u8], glyphs: &GlyphRemapper) -> Option<Vec<u8>> {
    let font = Font::parse(cff)?;
    let gids: Vec<u16> = glyphs.remapped_gids().collect();

    // Font DICTs in first-use order, and each new glyph's new font DICT.
    let mut fds: Vec<u8> = Vec::new();
    let mut select = Vec::with_capacity(gids.len());
    for &gid in &gids {
        let fd = font.fd_of(gid)?;
        let new = match fds.iter().position(|&f| f == fd) {
            Some(i) => i,
            None => {
                fds.push(fd);
                fds.len() - 1
            }
        };
        select.push(u8::try_from(new).ok()?);
    }
    let count = u16::try_from(gids.len()).ok()?;

    let charset: Vec<u8> = if count > 1 {
        let mut c = vec![2, 0, 1];
        c.extend((count - 2).to_be_bytes());
        c
    } else {
        vec![0]
    };
    let fd_select = fd_select(&select, count);
    let char_strings = index(
        &gids
            .iter()
            .map(|&gid| font.char_strings.get(usize::from(gid)))
            .collect::<Option<Vec<_>>>()?,
    );
    let privates: Vec<&[u8]> = fds
        .iter()
        .map(|&fd| font.privates.get(usize::from(fd)).copied())
        .collect::<Option<_>>()?;

    // Every offset is written in five bytes, so the sizes do not depend on the offsets.
    let top = |offsets: [usize; 4]| {
        rewrite_dict(&font.top, |op| match op {
            CID_COUNT => Some(vec![i32::from(count)]),
            CHARSET => Some(vec![offsets[0] as i32]),
            FD_SELECT => Some(vec![offsets[1] as i32]),
            CHAR_STRINGS => Some(vec![offsets[2] as i32]),
            FD_ARRAY => Some(vec![offsets[3] as i32]),
            _ => None,
        })
    };
    let font_dicts = |private_at: usize| {
        let mut at = private_at;
        let dicts: Vec<Vec<u8>> = fds
            .iter()
            .zip(&privates)
            .map(|(&fd, private)| {
                let dict = rewrite_dict(&font.font_dicts[usize::from(fd)], |op| {
                    (op == PRIVATE).then(|| vec![private.len() as i32, at as i32])
                });
                at += private.len();
                dict
            })
            .collect();
        index(&dicts.iter().map(Vec::as_slice).collect::<Vec<_>>())
    };

    let top_len = index(&[&top([0; 4])]).len();
    let charset_at = 4 + font.names.len() + top_len + font.strings.len() + 2;
    let fd_select_at = charset_at + charset.len();
    let char_strings_at = fd_select_at + fd_select.len();
    let fd_array_at = char_strings_at + char_strings.len();
    let private_at = fd_array_at + font_dicts(0).len();
    let offsets = [charset_at, fd_select_at, char_strings_at, fd_array_at];
    if offsets.iter().any(|&o| i32::try_from(o).is_err()) {
        return None;
    }

    let mut out = Vec::with_capacity(private_at + privates.iter().map(|p| p.len()).sum::<usize>());
    out.extend([1, 0, 4, 4]);
    out.extend(font.names);
    out.extend(index(&[&top(offsets)]));
    out.extend(font.strings);
    out.extend([0, 0]); // no global subroutines
    out.extend(charset);
    out.extend(fd_select);
    out.extend(char_strings);
    out.extend(font_dicts(private_at));
    for private in privates {
        out.extend(private);
    }
    Some(out)
}

/// The parts of a CID-keyed CFF a subset copies.
struct Font<'a> {
    /// The Name INDEX, whole.
    names: &'a [u8],
    top: Vec<(u16, &'a [u8])>,
    /// The String INDEX, whole.
    strings: &'a [u8],
    char_strings: Index<'a>,
    font_dicts: Vec<Vec<(u16, &'a [u8])>>,
    privates: Vec<&'a [u8]>,
    fd_select: FdSelect<'a>,
}

impl<'a> Font<'a> {
    fn parse(cff: &'a [u8]) -> Option<Font<'a>> {
        if *cff.first()? != 1 {
            return None;
        }
        let names_at = usize::from(*cff.get(2)?);
        let top_at = names_at + Index::parse(cff, names_at)?.size;
        let tops = Index::parse(cff, top_at)?;
        let strings_at = top_at + tops.size;
        let strings = Index::parse(cff, strings_at)?;
        let gsubrs_at = strings_at + strings.size;
        if tops.count() != 1 || Index::parse(cff, gsubrs_at)?.count() != 0 {
            return None;
        }
        let mut top = parse_dict(tops.get(0)?)?;
        if !top.iter().any(|(op, _)| *op == CID_COUNT) {
            top.push((CID_COUNT, &[])); // written with the subset's count
        }
        let find = |dict: &[(u16, &[u8])], op: u16| {
            dict.iter()
                .find(|(o, _)| *o == op)
                .and_then(|(_, operands)| integers(operands))
        };
        if top.first()?.0 != ROS {
            return None; // name-keyed
        }
        let offset = |op| usize::try_from(*find(&top, op)?.first()?).ok();
        let char_strings = Index::parse(cff, offset(CHAR_STRINGS)?)?;
        let fd_array = Index::parse(cff, offset(FD_ARRAY)?)?;
        let mut font_dicts = Vec::new();
        let mut privates = Vec::new();
        for i in 0..fd_array.count() {
            let dict = parse_dict(fd_array.get(i)?)?;
            let private = find(&dict, PRIVATE)?;
            let (len, at) = (
                usize::try_from(*private.first()?).ok()?,
                usize::try_from(*private.get(1)?).ok()?,
            );
            let private = cff.get(at..at.checked_add(len)?)?;
            if parse_dict(private)?.iter().any(|(op, _)| *op == SUBRS) {
                return None;
            }
            font_dicts.push(dict);
            privates.push(private);
        }
        let fd_select = FdSelect::parse(cff.get(offset(FD_SELECT)?..)?, char_strings.count())?;
        Some(Font {
            names: cff.get(names_at..top_at)?,
            top,
            strings: cff.get(strings_at..gsubrs_at)?,
            char_strings,
            font_dicts,
            privates,
            fd_select,
        })
    }

    fn fd_of(&self, gid: u16) -> Option<u8> {
        let fd = self.fd_select.fd_of(gid)?;
        (usize::from(fd) < self.font_dicts.len()).then_some(fd)
    }
}

/// A CFF INDEX: count, offset size, offsets (from 1) and data.
struct Index<'a> {
    data: &'a [u8],
    count: usize,
    off_size: usize,
    /// Bytes the whole INDEX takes.
    size: usize,
}

impl<'a> Index<'a> {
    fn parse(cff: &'a [u8], at: usize) -> Option<Index<'a>> {
        let data = cff.get(at..)?;
        let count = usize::from(u16::from_be_bytes([*data.first()?, *data.get(1)?]));
        if count == 0 {
            return Some(Index {
                data,
                count,
                off_size: 1,
                size: 2,
            });
        }
        let off_size = usize::from(*data.get(2)?);
        if !(1..=4).contains(&off_size) {
            return None;
        }
        let mut index = Index {
            data,
            count,
            off_size,
            size: 0,
        };
        let end = index.offset(count)?;
        index.size = (3 + (count + 1) * off_size - 1).checked_add(end)?;
        (index.size <= data.len()).then_some(index)
    }

    fn count(&self) -> usize {
        self.count
    }

    fn offset(&self, i: usize) -> Option<usize> {
        let at = 3 + i * self.off_size;
        let bytes = self.data.get(at..at + self.off_size)?;
        Some(bytes.iter().fold(0usize, |v, &b| v << 8 | usize::from(b)))
    }

    fn get(&self, i: usize) -> Option<&'a [u8]> {
        if i >= self.count {
            return None;
        }
        let base = 3 + (self.count + 1) * self.off_size - 1;
        let (start, end) = (self.offset(i)?, self.offset(i + 1)?);
        self.data.get(base + start..base.checked_add(end)?)
    }
}

/// An INDEX holding `items`, with the smallest offset size.
fn index(items: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend((items.len() as u16).to_be_bytes());
    if items.is_empty() {
        return out;
    }
    let total: usize = items.iter().map(|i| i.len()).sum::<usize>() + 1;
    let off_size = match total {
        0..=0xFF => 1,
        0x100..=0xFFFF => 2,
        0x1_0000..=0xFF_FFFF => 3,
        _ => 4,
    };
    out.push(off_size as u8);
    let mut offset = 1usize;
    let push = |out: &mut Vec<u8>, offset: usize| {
        out.extend(&(offset as u32).to_be_bytes()[4 - off_size..]);
    };
    push(&mut out, offset);
    for item in items {
        offset += item.len();
        push(&mut out, offset);
    }
    for item in items {
        out.extend(*item);
    }
    out
}

/// The font DICT index of each glyph (formats 0 and 3).
enum FdSelect<'a> {
    Format0(&'a [u8]),
    /// (first glyph, font DICT) ranges, and the sentinel.
    Format3(Vec<(u16, u8)>, u16),
}

impl<'a> FdSelect<'a> {
    fn parse(data: &'a [u8], glyphs: usize) -> Option<FdSelect<'a>> {
        match *data.first()? {
            0 => Some(FdSelect::Format0(data.get(1..1 + glyphs)?)),
            3 => {
                let be = |at: usize| Some(u16::from_be_bytes([*data.get(at)?, *data.get(at + 1)?]));
                let ranges = usize::from(be(1)?);
                let list = (0..ranges)
                    .map(|i| Some((be(3 + 3 * i)?, *data.get(5 + 3 * i)?)))
                    .collect::<Option<Vec<_>>>()?;
                Some(FdSelect::Format3(list, be(3 + 3 * ranges)?))
            }
            _ => None,
        }
    }

    fn fd_of(&self, gid: u16) -> Option<u8> {
        match self {
            FdSelect::Format0(fds) => fds.get(usize::from(gid)).copied(),
            FdSelect::Format3(ranges, sentinel) => {
                if gid >= *sentinel {
                    return None;
                }
                let i = ranges.partition_point(|(first, _)| *first <= gid);
                ranges.get(i.checked_sub(1)?).map(|(_, fd)| *fd)
            }
        }
    }
}

/// Format 3 FDSelect for the subset's glyphs `0..count`.
fn fd_select(select: &[u8], count: u16) -> Vec<u8> {
    let mut ranges: Vec<(u16, u8)> = Vec::new();
    for (gid, &fd) in select.iter().enumerate() {
        if ranges.last().is_none_or(|(_, last)| *last != fd) {
            ranges.push((gid as u16, fd));
        }
    }
    let mut out = vec![3];
    out.extend((ranges.len() as u16).to_be_bytes());
    for (first, fd) in ranges {
        out.extend(first.to_be_bytes());
        out.push(fd);
    }
    out.extend(count.to_be_bytes());
    out
}

/// A DICT as (operator, operand bytes) pairs; two-byte operators `12 x` as `1200 + x`.
fn parse_dict(data: &[u8]) -> Option<Vec<(u16, &[u8])>> {
    let mut entries = Vec::new();
    let (mut i, mut start) = (0, 0);
    while i < data.len() {
        let b = data[i];
        match b {
            12 => {
                entries.push((1200 + u16::from(*data.get(i + 1)?), &data[start..i]));
                i += 2;
                start = i;
            }
            0..=21 => {
                entries.push((u16::from(b), &data[start..i]));
                i += 1;
                start = i;
            }
            28 => i += 3,
            29 => i += 5,
            30 => {
                // A real: nibbles up to the one that is 0xF.
                i += 1;
                loop {
                    let n = *data.get(i)?;
                    i += 1;
                    if n & 0x0F == 0x0F || n >> 4 == 0x0F {
                        break;
                    }
                }
            }
            32..=246 => i += 1,
            247..=254 => i += 2,
            _ => return None,
        }
    }
    (start == data.len()).then_some(entries)
}

/// The operands of a DICT entry when all are integers.
fn integers(operands: &[u8]) -> Option<Vec<i32>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < operands.len() {
        let b = operands[i];
        let byte = |k: usize| operands.get(i + k).map(|&v| i32::from(v));
        let (value, len) = match b {
            28 => (
                i32::from(i16::from_be_bytes([
                    *operands.get(i + 1)?,
                    *operands.get(i + 2)?,
                ])),
                3,
            ),
            29 => (
                i32::from_be_bytes([
                    *operands.get(i + 1)?,
                    *operands.get(i + 2)?,
                    *operands.get(i + 3)?,
                    *operands.get(i + 4)?,
                ]),
                5,
            ),
            32..=246 => (i32::from(b) - 139, 1),
            247..=250 => ((i32::from(b) - 247) * 256 + byte(1)? + 108, 2),
            251..=254 => (-(i32::from(b) - 251) * 256 - byte(1)? - 108, 2),
            _ => return None,
        };
        out.push(value);
        i += len;
    }
    Some(out)
}

/// `dict` written again, the operands of the operators `replace` names given as five-byte
/// integers.
fn rewrite_dict(dict: &[(u16, &[u8])], replace: impl Fn(u16) -> Option<Vec<i32>>) -> Vec<u8> {
    let mut out = Vec::new();
    for &(op, operands) in dict {
        match replace(op) {
            Some(values) => {
                for v in values {
                    out.push(29);
                    out.extend(v.to_be_bytes());
                }
            }
            None => out.extend(operands),
        }
        if op >= 1200 {
            out.extend([12, (op - 1200) as u8]);
        } else {
            out.push(op as u8);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dict_round_trips_and_reads_integers() {
        // 1000 (28), -5 (one byte), 300 (247..), -300 (251..), 100000 (29), a real.
        let data = [
            28, 0x03, 0xE8, 134, 247, 192, 251, 192, 29, 0, 1, 0x86, 0xA0, 17, 30, 0x1A, 0x2F, 12,
            7,
        ];
        let dict = parse_dict(&data).unwrap();
        assert_eq!(dict.len(), 2);
        assert_eq!(dict[0].0, 17);
        assert_eq!(integers(dict[0].1).unwrap(), [1000, -5, 300, -300, 100_000]);
        assert_eq!(dict[1].0, 1207);
        assert_eq!(integers(dict[1].1), None, "a real is not an integer");
        assert_eq!(rewrite_dict(&dict, |_| None), data);
        let replaced = rewrite_dict(&dict, |op| (op == 17).then(|| vec![7]));
        assert_eq!(replaced[..6], [29, 0, 0, 0, 7, 17]);
    }

    #[test]
    fn index_round_trips() {
        let items: Vec<Vec<u8>> = (0..300).map(|i| vec![i as u8; i % 7]).collect();
        let refs: Vec<&[u8]> = items.iter().map(Vec::as_slice).collect();
        let bytes = index(&refs);
        let parsed = Index::parse(&bytes, 0).unwrap();
        assert_eq!(parsed.size, bytes.len());
        assert_eq!(parsed.count(), 300);
        for (i, item) in items.iter().enumerate() {
            assert_eq!(parsed.get(i).unwrap(), item.as_slice());
        }
        assert_eq!(index(&[]), [0, 0]);
    }

    #[test]
    fn fd_select_format0_is_read() {
        let parsed = FdSelect::parse(&[0, 2, 0, 1], 3).unwrap();
        assert_eq!(
            (0..4).map(|g| parsed.fd_of(g)).collect::<Vec<_>>(),
            [Some(2), Some(0), Some(1), None]
        );
        assert!(FdSelect::parse(&[0, 2], 3).is_none());
    }

    #[test]
    fn name_keyed_and_damaged_programs_are_refused() {
        let glyphs = GlyphRemapper::new();
        assert!(subset(&[], &glyphs).is_none());
        assert!(subset(&[2, 0, 4, 4], &glyphs).is_none());
        // Header, empty Name INDEX, a Top DICT INDEX whose dict starts with CharStrings
        // (not ROS), empty String and Global Subr INDEXes.
        let top = index(&[&[139, 17]]);
        let mut cff = vec![1, 0, 4, 4, 0, 0];
        cff.extend(top);
        cff.extend([0, 0, 0, 0]);
        assert!(subset(&cff, &glyphs).is_none());
    }

    #[test]
    fn fd_select_format3_round_trips() {
        let select = [0, 0, 1, 1, 1, 0, 2];
        let bytes = fd_select(&select, select.len() as u16);
        let parsed = FdSelect::parse(&bytes, select.len()).unwrap();
        for (gid, fd) in select.iter().enumerate() {
            assert_eq!(parsed.fd_of(gid as u16), Some(*fd));
        }
        assert_eq!(parsed.fd_of(7), None);
    }
}
