//! The 1/8-scale picture of a baseline JPEG from its DC coefficients alone: what the review's
//! colour and blank checks read of every scan.
//!
//! Hand-written because no crate offers it. A JPEG decoder, jpeg-decoder's 1/8 IDCT scale
//! included, stores, dequantises and transforms all 64 coefficients of every block before it
//! scales, and converts and upsamples whole rows; yet the 1/8 picture is each block's DC term
//! (its mean), which is all this module keeps. The AC coefficients are still Huffman-decoded,
//! because a scan without restart markers cannot be entered in the middle, but only to skip
//! their bits, several coefficients per table lookup where their codes and magnitudes fit in
//! 13 bits. The dossier benchmark's twenty 300-dpi scans (25 MB, `benches/dossier.rs`) read
//! in 0.21 s on one core this way (0.32 s at one coefficient per lookup), against about
//! 0.5 s through jpeg-decoder at 1/8 (which also used the second core).
//!
//! Only the case scanners and phones write is handled: a baseline or extended Huffman frame,
//! 8-bit samples, gray or YCbCr (no Adobe marker), all components in the first scan. Anything
//! else, and any data that does not decode cleanly to its last block, gives `None`: the caller
//! then decodes with jpeg-decoder, so a damaged file is judged exactly as before. Never panics:
//! every index into the file or a table is checked.

use super::raster::Raster;

/// Bits looked up at once when decoding a Huffman code; longer codes take the slow path.
const LOOKUP_BITS: u32 = 11;

/// The DC picture of `bytes` (one pixel per 8×8 block, gray or RGB), or `None` when the file is
/// not the simple case this module reads (see the module doc).
pub fn dc_picture(bytes: &[u8]) -> Option<Raster> {
    if bytes.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut frame = Frame::default();
    let mut planes: Vec<Plane> = Vec::new();
    let mut read = [false; 3];
    let mut at = 2;
    loop {
        let segment = segment(bytes, at)?;
        match segment.marker {
            // Baseline and extended sequential Huffman frames only.
            0xC0 | 0xC1 => {
                read_frame(&mut frame, segment.body)?;
                planes = frame.planes();
            }
            0xC2..=0xCF if ![0xC4, 0xC8, 0xCC].contains(&segment.marker) => return None,
            0xC4 => read_huffman_tables(&mut frame, segment.body)?,
            0xDB => read_quant_tables(&mut frame, segment.body)?,
            0xDD => {
                let body = segment.body;
                frame.restart_interval =
                    usize::from(u16::from_be_bytes([*body.first()?, *body.get(1)?]));
            }
            // Adobe's marker may say RGB or (inverted) CMYK: left to the full decoder.
            0xEE => return None,
            0xDA => {
                let scan = read_scan_header(&frame, segment.body)?;
                let data = bytes.get(segment.end..)?;
                let length = decode_scan(&frame, &scan, data, &mut planes)?;
                for component in scan {
                    read[component.index] = true;
                }
                if read[..frame.components.len()].iter().all(|&r| r) {
                    return Some(picture(&frame, &planes));
                }
                at = segment.end + length;
                continue;
            }
            0xD8 | 0xD9 => return None,
            _ => {}
        }
        at = segment.end;
    }
}

/// A marker segment: its marker, its body and where the next one starts.
struct Segment<'a> {
    marker: u8,
    body: &'a [u8],
    end: usize,
}

fn segment(bytes: &[u8], mut at: usize) -> Option<Segment<'_>> {
    if *bytes.get(at)? != 0xFF {
        return None;
    }
    // Fill bytes, and markers without a segment, as `raster::jpeg_header` skips them.
    loop {
        match *bytes.get(at + 1)? {
            0xFF => at += 1,
            0x01 | 0xD0..=0xD7 if *bytes.get(at + 2)? == 0xFF => at += 2,
            0x01 | 0xD0..=0xD7 => return None,
            _ => break,
        }
    }
    let marker = bytes[at + 1];
    let len = usize::from(u16::from_be_bytes([
        *bytes.get(at + 2)?,
        *bytes.get(at + 3)?,
    ]));
    if len < 2 {
        return None;
    }
    Some(Segment {
        marker,
        body: bytes.get(at + 4..at + 2 + len)?,
        end: at + 2 + len,
    })
}

#[derive(Clone, Copy)]
struct Component {
    id: u8,
    h: usize,
    v: usize,
    quant: usize,
}

/// A component of a scan: which one, and its Huffman tables.
#[derive(Clone, Copy)]
struct ScanComponent {
    index: usize,
    dc_table: usize,
    ac_table: usize,
}

#[derive(Default)]
struct Frame {
    width: usize,
    height: usize,
    components: Vec<Component>,
    /// The DC step of each quantisation table.
    dc_steps: [i32; 4],
    dc_tables: [Option<Huffman>; 4],
    ac_tables: [Option<Huffman>; 4],
    restart_interval: usize,
}

impl Frame {
    /// One plane per component, padded to whole MCUs.
    fn planes(&self) -> Vec<Plane> {
        let (mcus_x, mcus_y) = self.mcus();
        self.components
            .iter()
            .map(|c| Plane {
                stride: mcus_x * c.h,
                values: vec![0; mcus_x * c.h * mcus_y * c.v],
            })
            .collect()
    }

    fn mcus(&self) -> (usize, usize) {
        let (max_h, max_v) = (self.max_h(), self.max_v());
        (
            self.width.div_ceil(8 * max_h),
            self.height.div_ceil(8 * max_v),
        )
    }

    fn max_h(&self) -> usize {
        self.components.iter().map(|c| c.h).max().unwrap_or(1)
    }
    fn max_v(&self) -> usize {
        self.components.iter().map(|c| c.v).max().unwrap_or(1)
    }
}

fn read_frame(frame: &mut Frame, body: &[u8]) -> Option<()> {
    let precision = *body.first()?;
    frame.height = usize::from(u16::from_be_bytes([*body.get(1)?, *body.get(2)?]));
    frame.width = usize::from(u16::from_be_bytes([*body.get(3)?, *body.get(4)?]));
    let count = usize::from(*body.get(5)?);
    let again = !frame.components.is_empty();
    if again
        || precision != 8
        || frame.width == 0
        || frame.height == 0
        || !(count == 1 || count == 3)
    {
        return None;
    }
    for k in 0..count {
        let spec = body.get(6 + 3 * k..9 + 3 * k)?;
        let (h, v) = (usize::from(spec[1] >> 4), usize::from(spec[1] & 15));
        if !(1..=4).contains(&h) || !(1..=4).contains(&v) || spec[2] > 3 {
            return None;
        }
        frame.components.push(Component {
            id: spec[0],
            h,
            v,
            quant: usize::from(spec[2]),
        });
    }
    let ids: Vec<u8> = frame.components.iter().map(|c| c.id).collect();
    // jpeg-decoder reads these component names as RGB or as libjpeg's big-gamut spaces.
    if [[82, 71, 66], [114, 103, 98], [1, 34, 35]]
        .iter()
        .any(|special| ids == special)
    {
        return None;
    }
    if count == 1 {
        // A single component is never subsampled: its MCU is one block.
        frame.components[0].h = 1;
        frame.components[0].v = 1;
    }
    Some(())
}

fn read_quant_tables(frame: &mut Frame, mut body: &[u8]) -> Option<()> {
    while let Some(&spec) = body.first() {
        let (sixteen_bit, index) = (spec >> 4 != 0, usize::from(spec & 15));
        let size = if sixteen_bit { 128 } else { 64 };
        let table = body.get(1..1 + size)?;
        let step = if sixteen_bit {
            i32::from(u16::from_be_bytes([table[0], table[1]]))
        } else {
            i32::from(table[0])
        };
        *frame.dc_steps.get_mut(index)? = step;
        body = &body[1 + size..];
    }
    Some(())
}

fn read_huffman_tables(frame: &mut Frame, mut body: &[u8]) -> Option<()> {
    while let Some(&spec) = body.first() {
        let (class, index) = (spec >> 4, usize::from(spec & 15));
        let counts: [u8; 16] = body.get(1..17)?.try_into().ok()?;
        let total: usize = counts.iter().map(|&c| usize::from(c)).sum();
        let values = body.get(17..17 + total)?;
        let table = Huffman::new(&counts, values)?;
        match class {
            0 => *frame.dc_tables.get_mut(index)? = Some(table),
            1 => *frame.ac_tables.get_mut(index)? = Some(table),
            _ => return None,
        }
        body = &body[17 + total..];
    }
    Some(())
}

/// A scan's components (all of them interleaved, or one), over all 64 coefficients.
fn read_scan_header(frame: &Frame, body: &[u8]) -> Option<Vec<ScanComponent>> {
    let count = usize::from(*body.first()?);
    if count == 0 || count > frame.components.len() {
        return None;
    }
    let mut scan = Vec::with_capacity(count);
    for k in 0..count {
        let spec = body.get(1 + 2 * k..3 + 2 * k)?;
        let index = frame.components.iter().position(|c| c.id == spec[0])?;
        let (dc_table, ac_table) = (usize::from(spec[1] >> 4), usize::from(spec[1] & 15));
        if dc_table > 3 || ac_table > 3 {
            return None;
        }
        scan.push(ScanComponent {
            index,
            dc_table,
            ac_table,
        });
    }
    let tail = body.get(1 + 2 * count..4 + 2 * count)?;
    (tail == [0, 63, 0]).then_some(scan)
}

/// Bits of the AC skip table's index: the coefficients whose codes and magnitude bits fit
/// in the next 13 bits are skipped in one lookup. 13 keeps the table (16 KiB) in L1 beside
/// the rest; on the benchmark's scans a lookup stands for 2–3 coefficients.
const SKIP_BITS: u32 = 13;

/// A canonical Huffman table: codes of up to [`LOOKUP_BITS`] bits by direct lookup, longer
/// ones by the classic max-code search.
struct Huffman {
    /// `(length << 8) | value` by the next LOOKUP_BITS bits; 0 when the code is longer.
    lookup: Box<[u16; 1 << LOOKUP_BITS]>,
    /// For AC tables, by the next SKIP_BITS bits: the whole coefficients (code and magnitude
    /// bits) those bits hold, as one [`Skip`]; 0 when not even one fits.
    skip: Box<[u16; 1 << SKIP_BITS]>,
    /// For DC tables, by the next LOOKUP_BITS bits when code and magnitude fit: the
    /// difference and the bits it takes, as one [`DcEntry`]; 0 when they do not fit.
    dc: Box<[u32; 1 << LOOKUP_BITS]>,
    /// The largest code of each length (−1 when none), and where its values start.
    max_code: [i32; 17],
    first_code: [i32; 17],
    first_index: [usize; 17],
    values: Vec<u8>,
}

/// A skip entry: `bits | reach << 5 | end << 12`: the bits the coefficients take, how far
/// they move the coefficient index, and whether the last of them is end-of-block.
struct Skip;

impl Skip {
    const REACH_MAX: u16 = 63;

    fn pack(bits: u32, reach: u16, end: bool) -> u16 {
        bits as u16 | reach << 5 | u16::from(end) << 12
    }
    fn bits(entry: u16) -> u32 {
        u32::from(entry & 31)
    }
    fn reach(entry: u16) -> usize {
        usize::from((entry >> 5) & 127)
    }
    fn ends_block(entry: u16) -> bool {
        entry >> 12 != 0
    }
}

/// A DC entry: `bits | (difference + 2048) << 5`, or 0.
struct DcEntry;

impl DcEntry {
    fn pack(bits: u32, difference: i32) -> u32 {
        bits | ((difference + 2048) as u32) << 5
    }
    fn bits(entry: u32) -> u32 {
        entry & 31
    }
    fn difference(entry: u32) -> i32 {
        (entry >> 5) as i32 - 2048
    }
}

impl Huffman {
    fn new(counts: &[u8; 16], values: &[u8]) -> Option<Huffman> {
        let mut table = Huffman {
            lookup: Box::new([0; 1 << LOOKUP_BITS]),
            skip: Box::new([0; 1 << SKIP_BITS]),
            dc: Box::new([0; 1 << LOOKUP_BITS]),
            max_code: [-1; 17],
            first_code: [0; 17],
            first_index: [0; 17],
            values: values.to_vec(),
        };
        let (mut code, mut index) = (0i32, 0usize);
        for length in 1..=16usize {
            let count = usize::from(counts[length - 1]);
            table.first_code[length] = code;
            table.first_index[length] = index;
            for _ in 0..count {
                if code >= 1 << length {
                    return None;
                }
                if length as u32 <= LOOKUP_BITS {
                    let spread = LOOKUP_BITS - length as u32;
                    let start = (code as usize) << spread;
                    let value = *values.get(index)?;
                    let entry = ((length as u16) << 8) | u16::from(value);
                    table.lookup[start..start + (1 << spread)].fill(entry);
                }
                code += 1;
                index += 1;
            }
            if count > 0 {
                table.max_code[length] = code - 1;
            }
            code <<= 1;
        }
        table.fill_skip();
        table.fill_dc();
        Some(table)
    }

    /// The code at the top of the `available` low bits of `bits`, when one ends within them:
    /// its length and value.
    fn symbol_in(&self, bits: u32, available: u32) -> Option<(u32, u8)> {
        let index = if available >= LOOKUP_BITS {
            bits >> (available - LOOKUP_BITS)
        } else {
            bits << (LOOKUP_BITS - available)
        } & ((1 << LOOKUP_BITS) - 1);
        let entry = self.lookup[index as usize];
        let length = u32::from(entry >> 8);
        (entry != 0 && length <= available).then_some((length, entry as u8))
    }

    /// Every SKIP_BITS-bit prefix: the AC coefficients wholly inside it, taken greedily.
    fn fill_skip(&mut self) {
        for prefix in 0..1u32 << SKIP_BITS {
            let (mut used, mut reach, mut end) = (0u32, 0u16, false);
            while let Some((length, value)) =
                self.symbol_in(prefix & ((1 << (SKIP_BITS - used)) - 1), SKIP_BITS - used)
            {
                let (run, size) = (u16::from(value >> 4), u32::from(value & 15));
                let advance = match (run, size) {
                    (0, 0) => 0,
                    (15, 0) => 16,
                    (_, 0) => break,
                    _ => run + 1,
                };
                if used + length + size > SKIP_BITS || reach + advance > Skip::REACH_MAX {
                    break;
                }
                used += length + size;
                reach += advance;
                if advance == 0 {
                    end = true;
                    break;
                }
                if used == SKIP_BITS {
                    break;
                }
            }
            if used > 0 {
                self.skip[prefix as usize] = Skip::pack(used, reach, end);
            }
        }
    }

    /// Every LOOKUP_BITS-bit prefix: the DC difference when its code and magnitude fit.
    fn fill_dc(&mut self) {
        for prefix in 0..1u32 << LOOKUP_BITS {
            let Some((length, size)) = self.symbol_in(prefix, LOOKUP_BITS) else {
                continue;
            };
            let size = u32::from(size);
            if size > 11 || length + size > LOOKUP_BITS {
                continue;
            }
            let raw = (prefix >> (LOOKUP_BITS - length - size)) & ((1 << size) - 1);
            self.dc[prefix as usize] = DcEntry::pack(length + size, extend(raw, size));
        }
    }
}

/// JPEG's signed magnitude: `size` raw bits as the coefficient they stand for.
fn extend(raw: u32, size: u32) -> i32 {
    if size == 0 {
        0
    } else if raw < 1 << (size - 1) {
        raw as i32 - (1 << size) + 1
    } else {
        raw as i32
    }
}

/// Entropy-coded bits, most significant first, with 0xFF00 unstuffed. At a marker (or the
/// end of the data) zero bytes are fed and counted, so reading past the data is detected.
struct Bits<'a> {
    data: &'a [u8],
    at: usize,
    buffer: u64,
    count: u32,
    at_marker: bool,
    fed_zeros: u32,
}

impl<'a> Bits<'a> {
    fn new(data: &'a [u8]) -> Bits<'a> {
        Bits {
            data,
            at: 0,
            buffer: 0,
            count: 0,
            at_marker: false,
            fed_zeros: 0,
        }
    }

    /// At least 57 bits in the buffer.
    #[inline(always)]
    fn refill(&mut self) {
        if self.count > 56 {
            return;
        }
        // Eight bytes at once when none of them is 0xFF (no stuffing, no marker).
        if let Some(word) = self.data.get(self.at..self.at + 8) {
            let word = u64::from_be_bytes(word.try_into().unwrap_or_default());
            let inverted = !word;
            let has_ff =
                inverted.wrapping_sub(0x0101_0101_0101_0101) & !inverted & 0x8080_8080_8080_8080;
            if has_ff == 0 && !self.at_marker {
                let take = (64 - self.count) / 8;
                self.buffer |= (word >> (64 - 8 * take)) << (64 - self.count - 8 * take);
                self.at += take as usize;
                self.count += 8 * take;
                return;
            }
        }
        while self.count <= 56 {
            let byte = self.next_byte();
            self.buffer |= u64::from(byte) << (56 - self.count);
            self.count += 8;
        }
    }

    fn next_byte(&mut self) -> u8 {
        if !self.at_marker {
            match (self.data.get(self.at), self.data.get(self.at + 1)) {
                (Some(0xFF), Some(0x00)) => {
                    self.at += 2;
                    return 0xFF;
                }
                (Some(0xFF), _) | (None, _) => self.at_marker = true,
                (Some(&byte), _) => {
                    self.at += 1;
                    return byte;
                }
            }
        }
        self.fed_zeros += 1;
        0
    }

    fn peek(&self, bits: u32) -> u32 {
        (self.buffer >> (64 - bits)) as u32
    }

    fn consume(&mut self, bits: u32) {
        self.buffer <<= bits;
        self.count -= bits;
    }

    /// One Huffman-coded value; None for a code the table does not have.
    #[inline(always)]
    fn decode(&mut self, table: &Huffman) -> Option<u8> {
        if self.count < 32 {
            self.refill();
        }
        let entry = table.lookup[self.peek(LOOKUP_BITS) as usize];
        if entry != 0 {
            self.consume(u32::from(entry >> 8));
            return Some(entry as u8);
        }
        for length in LOOKUP_BITS as usize + 1..=16 {
            let code = self.peek(length as u32) as i32;
            if code <= table.max_code[length] {
                self.consume(length as u32);
                let index = table.first_index[length] + (code - table.first_code[length]) as usize;
                return table.values.get(index).copied();
            }
        }
        None
    }

    /// `bits` raw bits as JPEG's signed magnitude (`bits` ≤ 16; the caller refilled).
    fn signed(&mut self, bits: u32) -> i32 {
        if bits == 0 {
            return 0;
        }
        let raw = self.peek(bits);
        self.consume(bits);
        extend(raw, bits)
    }

    /// Bytes of data read up to the marker that ends the scan.
    fn consumed(&self) -> usize {
        let rest = self.data.get(self.at..).unwrap_or_default();
        self.at
            + rest
                .windows(2)
                .position(|w| w[0] == 0xFF && w[1] != 0 && !(0xD0..=0xD7).contains(&w[1]))
                .unwrap_or(rest.len())
    }

    /// Whether every bit read so far was real data, not the zeros fed past a marker.
    fn clean(&self) -> bool {
        self.fed_zeros * 8 <= self.count
    }

    /// After a restart interval: past the RSTn marker, with an empty buffer.
    fn restart(&mut self) -> Option<()> {
        if !self.clean() {
            return None;
        }
        let found = self
            .data
            .get(self.at..)?
            .windows(2)
            .position(|w| w[0] == 0xFF && (0xD0..=0xD7).contains(&w[1]))?;
        self.at += found + 2;
        self.buffer = 0;
        self.count = 0;
        self.at_marker = false;
        self.fed_zeros = 0;
        Some(())
    }
}

/// Each component's DC terms, block by block, padded to whole MCUs.
struct Plane {
    stride: usize,
    values: Vec<i16>,
}

/// Decodes one scan's DC terms into `planes`; the length of its entropy-coded data.
fn decode_scan(
    frame: &Frame,
    scan: &[ScanComponent],
    data: &[u8],
    planes: &mut [Plane],
) -> Option<usize> {
    let tables: Vec<(&Huffman, &Huffman)> = scan
        .iter()
        .map(|c| {
            Some((
                frame.dc_tables[c.dc_table].as_ref()?,
                frame.ac_tables[c.ac_table].as_ref()?,
            ))
        })
        .collect::<Option<_>>()?;
    // An interleaved scan goes MCU by MCU; a scan of one component block by block over
    // that component's own size (JPEG's non-interleaved order).
    let (units_x, units_y, interleaved) = match scan {
        [only] if frame.components.len() > 1 => {
            let component = frame.components[only.index];
            let width = (frame.width * component.h).div_ceil(frame.max_h());
            let height = (frame.height * component.v).div_ceil(frame.max_v());
            (width.div_ceil(8), height.div_ceil(8), false)
        }
        _ => {
            let (x, y) = frame.mcus();
            (x, y, true)
        }
    };
    let mut bits = Bits::new(data);
    let mut predictions = [0i32; 3];
    for unit in 0..units_x * units_y {
        if frame.restart_interval > 0 && unit > 0 && unit % frame.restart_interval == 0 {
            bits.restart()?;
            predictions = [0; 3];
        }
        if bits.fed_zeros > 16 {
            // Far past the data's end: cut short or damaged.
            return None;
        }
        let (unit_x, unit_y) = (unit % units_x, unit / units_x);
        for (k, component) in scan.iter().enumerate() {
            let (dc, ac) = tables[k];
            let (h, v) = if interleaved {
                let sampled = frame.components[component.index];
                (sampled.h, sampled.v)
            } else {
                (1, 1)
            };
            for by in 0..v {
                for bx in 0..h {
                    // Wrapping: a crafted file of millions of maximal differences never panics.
                    predictions[k] = predictions[k].wrapping_add(block_dc(&mut bits, dc, ac)?);
                    let plane = &mut planes[component.index];
                    let at = (unit_y * v + by) * plane.stride + unit_x * h + bx;
                    *plane.values.get_mut(at)? = predictions[k].clamp(-2048, 2047) as i16;
                }
            }
        }
    }
    bits.clean().then(|| bits.consumed())
}

/// One block: its DC difference; the AC coefficients' bits are skipped, several at a time
/// by the skip table, one at a time where it has no entry or would overrun the block.
fn block_dc(bits: &mut Bits, dc: &Huffman, ac: &Huffman) -> Option<i32> {
    if bits.count < 32 {
        bits.refill();
    }
    let entry = dc.dc[bits.peek(LOOKUP_BITS) as usize];
    let difference = if entry != 0 {
        bits.consume(DcEntry::bits(entry));
        DcEntry::difference(entry)
    } else {
        let size = bits.decode(dc)?;
        if size > 11 {
            return None;
        }
        bits.signed(u32::from(size))
    };
    let mut k = 1;
    while k < 64 {
        if bits.count < 32 {
            bits.refill();
        }
        let entry = ac.skip[bits.peek(SKIP_BITS) as usize];
        // An end-of-block can only come before the 64th coefficient: after it, the bits are
        // the next block's DC code, which may look like one.
        if entry != 0 && k + Skip::reach(entry) + usize::from(Skip::ends_block(entry)) <= 64 {
            bits.consume(Skip::bits(entry));
            k += Skip::reach(entry);
            if Skip::ends_block(entry) {
                return Some(difference);
            }
            continue;
        }
        let symbol = bits.decode(ac)?;
        let (run, size) = (usize::from(symbol >> 4), u32::from(symbol & 15));
        if size == 0 {
            if run != 15 {
                break;
            }
            k += 16;
            continue;
        }
        k += run + 1;
        bits.consume(size);
    }
    (k <= 64).then_some(difference)
}

/// The picture: one pixel per luma block, `(DC × step + 1024) / 8` as jpeg-decoder's 1/8 scale
/// computes it; chroma repeated over the blocks it covers; YCbCr to RGB by JFIF's formulas.
fn picture(frame: &Frame, planes: &[Plane]) -> Raster {
    let (width, height) = (frame.width.div_ceil(8), frame.height.div_ceil(8));
    let (max_h, max_v) = (frame.max_h(), frame.max_v());
    // Each component's samples at picture size, row by row.
    let samples: Vec<Vec<u8>> = frame
        .components
        .iter()
        .zip(planes)
        .map(|(component, plane)| {
            let step = frame.dc_steps[component.quant];
            let columns: Vec<usize> = (0..width).map(|x| x * component.h / max_h).collect();
            let mut out = Vec::with_capacity(width * height);
            for y in 0..height {
                let row = (y * component.v / max_v) * plane.stride;
                let blocks = plane.values.get(row..).unwrap_or_default();
                out.extend(columns.iter().map(|&x| {
                    let dc = i32::from(blocks.get(x).copied().unwrap_or_default());
                    ((dc * step + 1024) / 8).clamp(0, 255) as u8
                }));
            }
            out
        })
        .collect();
    let pixels = match &samples[..] {
        [luma, cb, cr] => {
            let mut rgb = vec![0u8; 3 * luma.len()];
            for (((out, &y), &cb), &cr) in rgb.chunks_exact_mut(3).zip(luma).zip(cb).zip(cr) {
                out.copy_from_slice(&ycbcr_to_rgb(y, cb, cr));
            }
            rgb
        }
        [gray, ..] => gray.clone(),
        [] => Vec::new(),
    };
    Raster {
        width: width as u32,
        height: height as u32,
        gray: frame.components.len() == 1,
        pixels,
    }
}

/// JFIF's conversion, in 16.16 fixed point.
fn ycbcr_to_rgb(y: u8, cb: u8, cr: u8) -> [u8; 3] {
    let luma = (i32::from(y) << 16) + (1 << 15);
    let (cb, cr) = (i32::from(cb) - 128, i32::from(cr) - 128);
    let channel = |v: i32| (v >> 16).clamp(0, 255) as u8;
    [
        channel(luma + 91_881 * cr),
        channel(luma - 22_554 * cb - 46_802 * cr),
        channel(luma + 116_130 * cb),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use jpeg_encoder::{ColorType, Encoder, SamplingFactor};

    /// A page-like picture: paper with a gradient, dark text-like bars and a red seal.
    fn page(width: usize, height: usize) -> Vec<u8> {
        let mut rgb = Vec::with_capacity(width * height * 3);
        for y in 0..height {
            for x in 0..width {
                let paper = 235 - (x * 20 / width) as u8;
                let ink = (y / 6) % 3 == 0 && (x / 4) % 5 != 0 && y < height / 2;
                let seal = (x as i64 - 3 * width as i64 / 4).pow(2)
                    + (y as i64 - 3 * height as i64 / 4).pow(2)
                    < (width as i64 / 8).pow(2);
                let px = if seal {
                    [200, 30, 40]
                } else if ink {
                    [30, 30, 30]
                } else {
                    [paper; 3]
                };
                rgb.extend_from_slice(&px);
            }
        }
        rgb
    }

    fn encode(
        rgb: &[u8],
        width: usize,
        height: usize,
        setup: impl FnOnce(&mut Encoder<&mut Vec<u8>>),
        gray: bool,
    ) -> Vec<u8> {
        encode_at(90, rgb, width, height, setup, gray)
    }

    fn encode_at(
        quality: u8,
        rgb: &[u8],
        width: usize,
        height: usize,
        setup: impl FnOnce(&mut Encoder<&mut Vec<u8>>),
        gray: bool,
    ) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = Encoder::new(&mut out, quality);
        setup(&mut encoder);
        if gray {
            let luma: Vec<u8> = rgb.chunks_exact(3).map(|p| p[1]).collect();
            encoder
                .encode(&luma, width as u16, height as u16, ColorType::Luma)
                .unwrap();
        } else {
            encoder
                .encode(rgb, width as u16, height as u16, ColorType::Rgb)
                .unwrap();
        }
        out
    }

    fn reference(jpeg: &[u8]) -> Raster {
        let header = super::super::raster::jpeg_header(jpeg).unwrap();
        super::super::raster::decode_jpeg(jpeg, header.width / 8, header.height / 8).unwrap()
    }

    /// Mean and largest difference of two pictures of the same size.
    fn difference(a: &Raster, b: &Raster) -> (f64, u8) {
        assert_eq!((a.width, a.height, a.gray), (b.width, b.height, b.gray));
        let diffs: Vec<u8> = a
            .pixels
            .iter()
            .zip(&b.pixels)
            .map(|(x, y)| x.abs_diff(*y))
            .collect();
        let mean = diffs.iter().map(|&d| f64::from(d)).sum::<f64>() / diffs.len() as f64;
        (mean, diffs.into_iter().max().unwrap_or(0))
    }

    #[test]
    fn gray_pictures_equal_jpeg_decoders_eighth_scale() {
        // Sizes that are not whole blocks or MCUs on purpose.
        for (width, height) in [(203, 157), (64, 64), (9, 300)] {
            let jpeg = encode(&page(width, height), width, height, |_| {}, true);
            let ours = dc_picture(&jpeg).expect("a baseline gray JPEG is read");
            assert_eq!(
                difference(&ours, &reference(&jpeg)),
                (0.0, 0),
                "{width}×{height}"
            );
        }
    }

    #[test]
    fn blocks_that_fill_all_64_positions_end_without_end_of_block() {
        // Noise at quality 100 leaves every coefficient non-zero in most blocks: no
        // end-of-block is coded, and the next block's DC code follows the 63rd AC term.
        let (width, height) = (96usize, 80usize);
        let mut state = 0x9e37_79b9_u32;
        let noise: Vec<u8> = (0..width * height * 3)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                state as u8
            })
            .collect();
        for gray in [true, false] {
            let out = encode_at(
                100,
                &noise,
                width,
                height,
                |e| e.set_sampling_factor(SamplingFactor::F_1_1),
                gray,
            );
            let ours = dc_picture(&out).expect("full blocks are read");
            assert_eq!(difference(&ours, &reference(&out)), (0.0, 0), "gray {gray}");
        }
    }

    #[test]
    fn colour_pictures_match_jpeg_decoder_for_every_subsampling() {
        // jpeg-encoder writes 4:1:1-like factors as one scan per component, so JPEG's
        // non-interleaved order is read here too.
        let (width, height) = (331, 219);
        let rgb = page(width, height);
        for sampling in [
            SamplingFactor::F_1_1,
            SamplingFactor::F_2_1,
            SamplingFactor::F_1_2,
            SamplingFactor::F_2_2,
            SamplingFactor::F_4_1,
            SamplingFactor::F_2_4,
        ] {
            let jpeg = encode(
                &rgb,
                width,
                height,
                |e| e.set_sampling_factor(sampling),
                false,
            );
            let ours = dc_picture(&jpeg).expect("a baseline colour JPEG is read");
            let theirs = reference(&jpeg);
            let (mean, _) = difference(&ours, &theirs);
            // jpeg-decoder interpolates subsampled chroma; we repeat it: edges differ a little.
            assert!(mean < 3.0, "{sampling:?}: mean difference {mean}");
            let (a, b) = (
                super::super::raster::stats(&ours),
                super::super::raster::stats(&theirs),
            );
            assert_eq!(a, b, "{sampling:?}");
            assert!(a.coloured, "the red seal is seen");
        }
    }

    #[test]
    fn restart_markers_and_optimised_tables_are_followed() {
        let (width, height) = (250, 180);
        let rgb = page(width, height);
        let plain = dc_picture(&encode(&rgb, width, height, |_| {}, false)).unwrap();
        for interval in [1, 3, 7] {
            let jpeg = encode(
                &rgb,
                width,
                height,
                |e| {
                    e.set_restart_interval(interval);
                    e.set_sampling_factor(SamplingFactor::F_2_2);
                },
                false,
            );
            let ours = dc_picture(&jpeg).expect("restart intervals are read");
            assert!(difference(&ours, &reference(&jpeg)).0 < 3.0);
        }
        let optimised = encode(
            &rgb,
            width,
            height,
            |e| e.set_optimized_huffman_tables(true),
            false,
        );
        assert_eq!(dc_picture(&optimised), Some(plain));
    }

    #[test]
    fn what_it_does_not_read_is_left_to_the_full_decoder() {
        let (width, height) = (120, 90);
        let rgb = page(width, height);
        let progressive = encode(&rgb, width, height, |e| e.set_progressive(true), false);
        assert_eq!(dc_picture(&progressive), None, "progressive");
        let mut cmyk_out = Vec::new();
        let cmyk: Vec<u8> = rgb
            .chunks_exact(3)
            .flat_map(|p| [255 - p[0], 255 - p[1], 255 - p[2], 0])
            .collect();
        Encoder::new(&mut cmyk_out, 90)
            .encode(&cmyk, width as u16, height as u16, ColorType::Cmyk)
            .unwrap();
        assert_eq!(dc_picture(&cmyk_out), None, "CMYK");
        let whole = encode(&rgb, width, height, |_| {}, false);
        for cut in [whole.len() / 2, whole.len() - 40, 300] {
            assert_eq!(
                dc_picture(&whole[..cut]),
                None,
                "cut at {cut} of {}",
                whole.len()
            );
        }
    }

    #[test]
    fn damaged_bytes_never_panic() {
        let (width, height) = (96, 64);
        let jpeg = encode(
            &page(width, height),
            width,
            height,
            |e| e.set_restart_interval(2),
            false,
        );
        let mut state = 0x2545_f491_u32;
        for _ in 0..3_000 {
            let mut bytes = jpeg.clone();
            for _ in 0..4 {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                let at = state as usize % bytes.len();
                bytes[at] = (state >> 8) as u8;
            }
            let _ = dc_picture(&bytes);
        }
    }
}
