//! Decodes a client's images into 8-bit gray or RGB pixels, within limits, and measures what
//! the review needs from them (colour content, blankness).
//!
//! Crates, because each format has a well-kept decoder and writing our own would only add
//! bugs on untrusted input: `jpeg-decoder` for JPEG (its IDCT scaling decodes at 1/2, 1/4 or
//! 1/8 size in the DCT domain, which makes previews and downsampling of 600-dpi scans cheap;
//! `zune-jpeg` is faster at full size but cannot scale), `tiff` for scanners' multi-page TIFF
//! (the `image` crate reads only a TIFF's first page), and `image` for PNG, GIF, BMP and WebP
//! with its allocation limits.

use std::io::Cursor;

use super::Format;

/// Pages larger than this many pixels are refused as a possible decompression bomb: 100 MP is
/// A4 at about 1000 dpi, far beyond what a scanner writes for an upload.
pub const MAX_PIXELS: u64 = 100_000_000;

/// Decoded pixels: 1 (gray) or 3 (RGB) 8-bit channels, row by row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raster {
    pub width: u32,
    pub height: u32,
    pub gray: bool,
    pub pixels: Vec<u8>,
}

/// Why pixels could not be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the image is {0} megapixels, more than the 100 allowed (a decompression bomb, or a scan at far more than 600 dpi): scan it again at 300–600 dpi")]
    TooManyPixels(u64),
    #[error("the image data is damaged or cut short ({0})")]
    Damaged(String),
}

/// How a JPEG stores its samples, from its markers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JpegHeader {
    pub width: u32,
    pub height: u32,
    pub components: u8,
    pub progressive: bool,
    /// An Adobe APP14 marker: CMYK samples are stored inverted (Photoshop's convention).
    pub adobe: bool,
}

/// Reads a JPEG's frame header and Adobe marker without decoding.
pub fn jpeg_header(bytes: &[u8]) -> Option<JpegHeader> {
    let (mut at, mut adobe) = (2usize, false);
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return None;
        }
        let marker = bytes[at + 1];
        if marker == 0xFF || (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            at += 1 + usize::from(marker != 0xFF);
            continue;
        }
        let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        let body = bytes.get(at + 4..at + 2 + len)?;
        if marker == 0xEE && body.starts_with(b"Adobe") {
            adobe = true;
        }
        let is_sof = (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker);
        if is_sof && body.len() >= 6 {
            return Some(JpegHeader {
                height: u32::from(u16::from_be_bytes([body[1], body[2]])),
                width: u32::from(u16::from_be_bytes([body[3], body[4]])),
                components: body[5],
                progressive: matches!(marker, 0xC2 | 0xC6 | 0xCA | 0xCE),
                adobe,
            });
        }
        at += 2 + len;
    }
    None
}

/// A JPEG at 1/8 scale for the review: from its DC terms alone when it is the simple case
/// ([`super::jpeg_dc`]: baseline, gray or YCbCr), else decoded by jpeg-decoder.
pub fn preview_jpeg(bytes: &[u8]) -> Result<Raster, DecodeError> {
    let header = jpeg_header(bytes).ok_or_else(|| damaged("no frame header"))?;
    check_pixels(header.width, header.height)?;
    match super::jpeg_dc::dc_picture(bytes) {
        Some(picture) => Ok(picture),
        None => decode_jpeg(bytes, header.width / 8, header.height / 8),
    }
}

/// Decodes a JPEG at the smallest DCT scale (1, 1/2, 1/4, 1/8) that still gives at least
/// `min_width`×`min_height` pixels; CMYK is converted to RGB.
pub fn decode_jpeg(bytes: &[u8], min_width: u32, min_height: u32) -> Result<Raster, DecodeError> {
    let header = jpeg_header(bytes).ok_or_else(|| damaged("no frame header"))?;
    check_pixels(header.width, header.height)?;
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    let clamp = |v: u32| v.clamp(1, u32::from(u16::MAX)) as u16;
    let (width, height) = decoder
        .scale(clamp(min_width), clamp(min_height))
        .map_err(|e| damaged(&e.to_string()))?;
    let samples = decoder.decode().map_err(|e| damaged(&e.to_string()))?;
    let info = decoder.info().ok_or_else(|| damaged("no frame"))?;
    let (width, height) = (u32::from(width), u32::from(height));
    use jpeg_decoder::PixelFormat as P;
    let (gray, pixels) = match info.pixel_format {
        P::L8 => (true, samples),
        P::L16 => (true, samples.chunks_exact(2).map(|p| p[0]).collect()),
        P::RGB24 => (false, samples),
        P::CMYK32 => (false, cmyk_to_rgb(&samples, header.adobe)),
    };
    raster(width, height, gray, pixels)
}

/// jpeg-decoder hands out 255 − stored value; Adobe files store inverted ink, plain ones
/// store ink, so only the plain ones come out inverted.
fn cmyk_to_rgb(samples: &[u8], adobe: bool) -> Vec<u8> {
    let mut rgb = Vec::with_capacity(samples.len() / 4 * 3);
    for p in samples.chunks_exact(4) {
        let ink = |v: u8| if adobe { v } else { 255 - v };
        let white_k = 255 - u32::from(ink(p[3]));
        for &c in &p[..3] {
            rgb.push(((255 - u32::from(ink(c))) * white_k / 255) as u8);
        }
    }
    rgb
}

/// The page count and every page of a multi-page TIFF, one at a time through `each`.
pub fn tiff_pages(
    bytes: &[u8],
    mut each: impl FnMut(usize, Raster) -> bool,
) -> Result<usize, DecodeError> {
    let mut decoder = tiff::decoder::Decoder::new(Cursor::new(bytes))
        .map_err(|e| damaged(&e.to_string()))?
        .with_limits(tiff_limits());
    let mut index = 0;
    loop {
        let page = tiff_page(&mut decoder)?;
        if !each(index, page) {
            return Ok(index + 1);
        }
        index += 1;
        if !decoder.more_images() {
            return Ok(index);
        }
        decoder.next_image().map_err(|e| damaged(&e.to_string()))?;
    }
}

fn tiff_limits() -> tiff::decoder::Limits {
    let mut limits = tiff::decoder::Limits::default();
    limits.decoding_buffer_size = (MAX_PIXELS * 4) as usize;
    limits
}

fn tiff_page(decoder: &mut tiff::decoder::Decoder<Cursor<&[u8]>>) -> Result<Raster, DecodeError> {
    use tiff::decoder::DecodingResult as D;
    use tiff::ColorType as C;
    let (width, height) = decoder.dimensions().map_err(|e| damaged(&e.to_string()))?;
    check_pixels(width, height)?;
    let colour = decoder.colortype().map_err(|e| damaged(&e.to_string()))?;
    let white_is_zero = decoder
        .find_tag_unsigned::<u16>(tiff::tags::Tag::PhotometricInterpretation)
        .ok()
        .flatten()
        == Some(0);
    let palette = decoder
        .find_tag_unsigned_vec::<u16>(tiff::tags::Tag::ColorMap)
        .ok()
        .flatten();
    let samples = match decoder.read_image().map_err(|e| damaged(&e.to_string()))? {
        D::U8(v) => v,
        D::U16(v) => v.iter().map(|s| (s >> 8) as u8).collect(),
        _ => return Err(damaged("sample format other than 8 or 16 bit")),
    };
    let n = (width * height) as usize;
    let pick = |channels: usize, keep: &[usize]| -> Vec<u8> {
        samples
            .chunks_exact(channels)
            .take(n)
            .flat_map(|p| keep.iter().map(|&i| p[i]).collect::<Vec<_>>())
            .collect()
    };
    let (gray, mut pixels) = match colour {
        C::Gray(1) => (true, unpack_bits(&samples, width, height)),
        C::Gray(_) => (true, samples[..n.min(samples.len())].to_vec()),
        C::GrayA(_) => (true, flatten_alpha(&samples, 1)),
        C::RGB(_) | C::YCbCr(_) => (false, pick(3, &[0, 1, 2])),
        C::RGBA(_) => (false, flatten_alpha(&samples, 3)),
        C::CMYK(_) | C::CMYKA(_) => {
            let channels = if matches!(colour, C::CMYK(_)) { 4 } else { 5 };
            let cmyk = pick(channels, &[0, 1, 2, 3]);
            // TIFF stores ink; the helper expects the decoder's inverted values.
            let inverted: Vec<u8> = cmyk.iter().map(|v| 255 - v).collect();
            (false, cmyk_to_rgb(&inverted, false))
        }
        C::Palette(8) => {
            let map = palette.ok_or_else(|| damaged("a palette image without its colour map"))?;
            (false, expand_tiff_palette(&samples, &map))
        }
        other => return Err(damaged(&format!("TIFF colour type {other:?}"))),
    };
    if white_is_zero && gray {
        pixels.iter_mut().for_each(|v| *v = 255 - *v);
    }
    raster(width, height, gray, pixels)
}

/// 1-bit rows (padded to whole bytes) as 8-bit gray, 1 = white as TIFF's BlackIsZero says.
fn unpack_bits(packed: &[u8], width: u32, height: u32) -> Vec<u8> {
    let stride = (width as usize).div_ceil(8);
    let mut out = Vec::with_capacity((width * height) as usize);
    for row in packed.chunks(stride).take(height as usize) {
        for x in 0..width as usize {
            let bit = row.get(x / 8).map_or(0, |b| (b >> (7 - x % 8)) & 1);
            out.push(if bit == 1 { 255 } else { 0 });
        }
    }
    out
}

fn expand_tiff_palette(indices: &[u8], map: &[u16]) -> Vec<u8> {
    let entries = map.len() / 3;
    indices
        .iter()
        .flat_map(|&i| {
            let i = usize::from(i).min(entries.saturating_sub(1));
            [0, 1, 2].map(|c| (map.get(c * entries + i).copied().unwrap_or(0) >> 8) as u8)
        })
        .collect()
}

/// Colour samples followed by one alpha sample, flattened onto white paper.
fn flatten_alpha(samples: &[u8], colour_channels: usize) -> Vec<u8> {
    samples
        .chunks_exact(colour_channels + 1)
        .flat_map(|p| {
            let alpha = u32::from(p[colour_channels]);
            p[..colour_channels]
                .iter()
                .map(move |&v| ((u32::from(v) * alpha + 255 * (255 - alpha)) / 255) as u8)
        })
        .collect()
}

/// PNG, GIF (first frame), BMP and WebP through the `image` crate, alpha flattened onto white.
pub fn decode_other(bytes: &[u8], format: Format) -> Result<Raster, DecodeError> {
    let image_format = match format {
        Format::Png => image::ImageFormat::Png,
        Format::Gif => image::ImageFormat::Gif,
        Format::Bmp => image::ImageFormat::Bmp,
        Format::Webp => image::ImageFormat::WebP,
        _ => return Err(damaged("not an image format of the image crate")),
    };
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), image_format);
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 4);
    reader.limits(limits);
    let (width, height) = reader
        .into_dimensions()
        .map_err(|e| damaged(&e.to_string()))?;
    check_pixels(width, height)?;
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), image_format);
    reader.no_limits();
    let decoded = reader.decode().map_err(|e| damaged(&e.to_string()))?;
    let gray = !decoded.color().has_color();
    let pixels = if gray {
        flatten_alpha(decoded.to_luma_alpha8().as_raw(), 1)
    } else {
        flatten_alpha(decoded.to_rgba8().as_raw(), 3)
    };
    raster(width, height, gray, pixels)
}

fn check_pixels(width: u32, height: u32) -> Result<(), DecodeError> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels > MAX_PIXELS {
        return Err(DecodeError::TooManyPixels(pixels / 1_000_000));
    }
    if pixels == 0 {
        return Err(damaged("the image has no pixels"));
    }
    Ok(())
}

fn raster(width: u32, height: u32, gray: bool, pixels: Vec<u8>) -> Result<Raster, DecodeError> {
    let expected = (width * height) as usize * if gray { 1 } else { 3 };
    if pixels.len() < expected {
        return Err(damaged("fewer pixels than the header says"));
    }
    Ok(Raster {
        width,
        height,
        gray,
        pixels,
    })
}

fn damaged(detail: &str) -> DecodeError {
    DecodeError::Damaged(detail.to_string())
}

/// What the review needs to know about a page's pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PixelStats {
    /// Some pixels carry real colour (a red seal), not only scanner noise.
    pub coloured: bool,
    /// Every pixel is (nearly) black or white: a 1-bit or fax-mode scan.
    pub bilevel: bool,
    /// Nothing but paper: no pixel much darker than the page's background.
    pub blank: bool,
}

/// Colour, bilevel and blank from a (preview-sized) raster. Thresholds: a pixel is coloured
/// when its channels differ by more than 48 (scanner noise stays under 20; a red seal is
/// above 100) and a page is coloured when 1 in 5,000 pixels is; ink is 64 levels darker than
/// the median paper tone, and a page with less than 1 in 2,000 pixels of ink is blank.
pub fn stats(raster: &Raster) -> PixelStats {
    let channels = if raster.gray { 1 } else { 3 };
    let mut histogram = [0u64; 256];
    let (mut coloured, mut extreme) = (0u64, 0u64);
    for p in raster.pixels.chunks_exact(channels) {
        let (lo, hi) = (*p.iter().min().unwrap_or(&0), *p.iter().max().unwrap_or(&0));
        if hi - lo > 48 {
            coloured += 1;
        }
        let luma = ((u32::from(lo) + u32::from(hi)) / 2) as u8;
        histogram[usize::from(luma)] += 1;
        if !(16..=239).contains(&luma) {
            extreme += 1;
        }
    }
    let total: u64 = histogram.iter().sum::<u64>().max(1);
    let median = {
        let mut seen = 0;
        (0..256).find(|&v| {
            seen += histogram[v];
            seen * 2 >= total
        })
    }
    .unwrap_or(255);
    let ink: u64 = histogram[..median.saturating_sub(64)].iter().sum();
    PixelStats {
        coloured: coloured * 5_000 >= total,
        bilevel: extreme * 1_000 >= total * 998 && coloured == 0,
        blank: ink * 2_000 < total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(gray: bool, fill: &[u8], marks: &[(usize, &[u8])]) -> Raster {
        let channels = fill.len();
        let (width, height) = (100u32, 100u32);
        let mut pixels: Vec<u8> = fill.repeat((width * height) as usize);
        for (at, value) in marks {
            pixels[at * channels..(at + 1) * channels].copy_from_slice(value);
        }
        Raster {
            width,
            height,
            gray,
            pixels,
        }
    }

    #[test]
    fn an_empty_page_is_blank_and_a_line_of_ink_is_not() {
        assert!(stats(&page(true, &[250], &[])).blank);
        let line: Vec<(usize, &[u8])> = (0..100).map(|x| (5000 + x, &[20u8][..])).collect();
        assert!(!stats(&page(true, &[250], &line)).blank);
    }

    #[test]
    fn a_red_seal_makes_a_page_coloured_and_noise_does_not() {
        let seal: Vec<(usize, &[u8])> = (0..50).map(|x| (x * 7, &[200u8, 30, 30][..])).collect();
        assert!(stats(&page(false, &[240, 240, 240], &seal)).coloured);
        let noise: Vec<(usize, &[u8])> = (0..50).map(|x| (x * 7, &[240u8, 228, 236][..])).collect();
        assert!(!stats(&page(false, &[240, 240, 240], &noise)).coloured);
    }

    #[test]
    fn black_and_white_only_is_bilevel() {
        let text: Vec<(usize, &[u8])> = (0..300).map(|x| (x * 3, &[0u8][..])).collect();
        assert!(stats(&page(true, &[255], &text)).bilevel);
        assert!(!stats(&page(true, &[200], &text)).bilevel);
    }

    #[test]
    fn adobe_cmyk_is_read_as_ink_and_plain_cmyk_as_inverted() {
        // The decoder hands 255 − stored: Adobe stores 255 − ink, so red is ink (0,255,255,0).
        assert_eq!(cmyk_to_rgb(&[0, 255, 255, 0], true), vec![255, 0, 0]);
        assert_eq!(cmyk_to_rgb(&[255, 0, 0, 255], false), vec![255, 0, 0]);
    }

    #[test]
    fn bits_unpack_msb_first_and_alpha_flattens_onto_white() {
        assert_eq!(unpack_bits(&[0b1010_0000], 3, 1), vec![255, 0, 255]);
        assert_eq!(flatten_alpha(&[0, 0], 1), vec![255]);
        assert_eq!(flatten_alpha(&[10, 255], 1), vec![10]);
    }

    #[test]
    fn bombs_are_refused_before_decoding() {
        assert!(matches!(
            check_pixels(20_000, 20_000),
            Err(DecodeError::TooManyPixels(400))
        ));
    }
}
