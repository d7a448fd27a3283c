//! Turns PNG and JPEG files (an agency's logo) into images the PDF can embed as they are:
//! JPEG bytes pass through (DCTDecode); PNG is inflated and unfiltered into raw 8-bit samples,
//! with any alpha channel split into a soft mask. Only what logos need: 8-bit PNG (grey, RGB,
//! palette, with or without alpha), non-interlaced; baseline or progressive JPEG.

use std::sync::Arc;

use sha2::{Digest, Sha256};

/// Bytes shared, not copied, between the stages that hold them: a client's scan is read once
/// and the same bytes are inspected, embedded in the bound copy and written as its upload
/// file (25 MB of scans copied three times cost more than reading them).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SharedBytes(Arc<Vec<u8>>);

impl From<Vec<u8>> for SharedBytes {
    fn from(bytes: Vec<u8>) -> Self {
        SharedBytes(Arc::new(bytes))
    }
}

impl std::ops::Deref for SharedBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for SharedBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SharedBytes({} bytes)", self.0.len())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    #[error("not a PNG or JPEG file")]
    UnknownFormat,
    #[error("the PNG file is damaged: {0}")]
    BadPng(&'static str),
    #[error("PNG with {0} is not supported; save it as an 8-bit, non-interlaced PNG, or as JPEG")]
    UnsupportedPng(String),
    #[error("the JPEG file is damaged or has no frame header")]
    BadJpeg,
}

/// Colour model of an image's samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorSpace {
    Gray,
    Rgb,
    Cmyk,
}

/// How the samples are stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Encoding {
    /// JPEG file bytes (DCTDecode).
    Jpeg,
    /// Raw 8-bit samples, row by row.
    Raw,
}

/// An image ready to embed, with an id derived from its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub width: u32,
    pub height: u32,
    pub color: ColorSpace,
    pub encoding: Encoding,
    pub data: SharedBytes,
    /// Raw 8-bit alpha samples (a soft mask), for PNGs with transparency.
    pub alpha: Option<Vec<u8>>,
    /// Hex digest of the file: names the image in the PDF deterministically.
    pub digest: String,
}

impl Image {
    /// Decodes PNG or JPEG `bytes`.
    pub fn decode(bytes: &[u8]) -> Result<Image, ImageError> {
        if bytes.starts_with(&[0xFF, 0xD8]) {
            return Image::decode_shared(bytes.to_vec().into());
        }
        let mut image = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            png(bytes)?
        } else {
            return Err(ImageError::UnknownFormat);
        };
        image.digest = digest(bytes);
        Ok(image)
    }

    /// [`Image::decode`] of bytes the caller keeps too: a JPEG's are shared, not copied.
    pub fn decode_shared(bytes: SharedBytes) -> Result<Image, ImageError> {
        if !bytes.starts_with(&[0xFF, 0xD8]) {
            return Image::decode(&bytes);
        }
        let mut image = jpeg(bytes)?;
        image.digest = digest(&image.data);
        Ok(image)
    }

    /// Width over height.
    pub fn aspect(&self) -> f32 {
        self.width as f32 / self.height.max(1) as f32
    }
}

/// Names an image by its content: 16 hex digits of the file's SHA-256.
fn digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .take(8)
        .map(|b| format!("{b:02X}"))
        .collect()
}

fn jpeg(bytes: SharedBytes) -> Result<Image, ImageError> {
    let mut i = 2;
    while i + 9 < bytes.len() {
        if bytes[i] != 0xFF {
            return Err(ImageError::BadJpeg);
        }
        let marker = bytes[i + 1];
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
        if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
            let height = u32::from(u16::from_be_bytes([bytes[i + 5], bytes[i + 6]]));
            let width = u32::from(u16::from_be_bytes([bytes[i + 7], bytes[i + 8]]));
            let color = match bytes[i + 9] {
                1 => ColorSpace::Gray,
                3 => ColorSpace::Rgb,
                4 => ColorSpace::Cmyk,
                _ => return Err(ImageError::BadJpeg),
            };
            return Ok(Image {
                width,
                height,
                color,
                encoding: Encoding::Jpeg,
                data: bytes,
                alpha: None,
                digest: String::new(),
            });
        }
        i += 2 + len;
    }
    Err(ImageError::BadJpeg)
}

fn png(bytes: &[u8]) -> Result<Image, ImageError> {
    let mut pos = 8;
    let (mut header, mut palette, mut idat) = (None, Vec::new(), Vec::new());
    while pos + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[pos..pos + 4].try_into().unwrap_or([0; 4])) as usize;
        let kind = &bytes[pos + 4..pos + 8];
        let body = bytes
            .get(pos + 8..pos + 8 + len)
            .ok_or(ImageError::BadPng("a chunk runs past the end"))?;
        match kind {
            b"IHDR" if len >= 13 => header = Some(body.to_vec()),
            b"PLTE" => palette = body.to_vec(),
            b"IDAT" => idat.extend_from_slice(body),
            b"IEND" => break,
            _ => {}
        }
        pos += 12 + len;
    }
    let h = header.ok_or(ImageError::BadPng("no IHDR chunk"))?;
    let width = u32::from_be_bytes([h[0], h[1], h[2], h[3]]);
    let height = u32::from_be_bytes([h[4], h[5], h[6], h[7]]);
    let (depth, color_type, interlace) = (h[8], h[9], h[12]);
    if depth != 8 {
        return Err(ImageError::UnsupportedPng(format!("{depth}-bit samples")));
    }
    if interlace != 0 {
        return Err(ImageError::UnsupportedPng("interlacing".into()));
    }
    let channels = match color_type {
        0 | 3 => 1,
        2 => 3,
        4 => 2,
        6 => 4,
        _ => return Err(ImageError::BadPng("unknown colour type")),
    };
    let raw = miniz_oxide::inflate::decompress_to_vec_zlib(&idat)
        .map_err(|_| ImageError::BadPng("the image data does not inflate"))?;
    let pixels = unfilter(&raw, width as usize, height as usize, channels)?;
    let (color, data, alpha) = split(&pixels, color_type, &palette)?;
    let data = SharedBytes::from(data);
    Ok(Image {
        width,
        height,
        color,
        encoding: Encoding::Raw,
        data,
        alpha,
        digest: String::new(),
    })
}

/// Reverses PNG's per-row filters (None, Sub, Up, Average, Paeth).
fn unfilter(raw: &[u8], width: usize, height: usize, bpp: usize) -> Result<Vec<u8>, ImageError> {
    let stride = width * bpp;
    if raw.len() < height * (stride + 1) {
        return Err(ImageError::BadPng("the image data is too short"));
    }
    let mut out = vec![0u8; height * stride];
    for y in 0..height {
        let filter = raw[y * (stride + 1)];
        let src = &raw[y * (stride + 1) + 1..(y + 1) * (stride + 1)];
        let (done, row) = out.split_at_mut(y * stride);
        let prev = if y > 0 {
            &done[(y - 1) * stride..]
        } else {
            &[][..]
        };
        let row = &mut row[..stride];
        for x in 0..stride {
            let a = if x >= bpp { row[x - bpp] } else { 0 };
            let b = prev.get(x).copied().unwrap_or(0);
            let c = if x >= bpp {
                prev.get(x - bpp).copied().unwrap_or(0)
            } else {
                0
            };
            let predictor = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                4 => paeth(a, b, c),
                _ => return Err(ImageError::BadPng("unknown row filter")),
            };
            row[x] = src[x].wrapping_add(predictor);
        }
    }
    Ok(out)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

type Split = (ColorSpace, Vec<u8>, Option<Vec<u8>>);

/// Colour samples and alpha samples of unfiltered PNG pixels (palettes expanded to RGB).
fn split(pixels: &[u8], color_type: u8, palette: &[u8]) -> Result<Split, ImageError> {
    Ok(match color_type {
        0 => (ColorSpace::Gray, pixels.to_vec(), None),
        2 => (ColorSpace::Rgb, pixels.to_vec(), None),
        3 => {
            let mut rgb = Vec::with_capacity(pixels.len() * 3);
            for &i in pixels {
                let at = usize::from(i) * 3;
                let entry = palette
                    .get(at..at + 3)
                    .ok_or(ImageError::BadPng("a palette index is out of range"))?;
                rgb.extend_from_slice(entry);
            }
            (ColorSpace::Rgb, rgb, None)
        }
        4 => (
            ColorSpace::Gray,
            pixels.iter().step_by(2).copied().collect(),
            Some(pixels.iter().skip(1).step_by(2).copied().collect()),
        ),
        _ => {
            let rgb = pixels
                .chunks_exact(4)
                .flat_map(|p| [p[0], p[1], p[2]])
                .collect();
            let alpha = pixels.chunks_exact(4).map(|p| p[3]).collect();
            (ColorSpace::Rgb, rgb, Some(alpha))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG of `width`×`height` with the given colour type and one filter per row.
    pub(crate) fn tiny_png(color_type: u8, channels: usize, rows: &[(u8, Vec<u8>)]) -> Vec<u8> {
        let width = (rows[0].1.len() / channels) as u32;
        let mut raw = Vec::new();
        for (filter, row) in rows {
            raw.push(*filter);
            raw.extend_from_slice(row);
        }
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut chunk = |kind: &[u8], body: &[u8]| {
            out.extend_from_slice(&(body.len() as u32).to_be_bytes());
            out.extend_from_slice(kind);
            out.extend_from_slice(body);
            out.extend_from_slice(&[0, 0, 0, 0]); // CRC: not checked
        };
        let mut ihdr = width.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&(rows.len() as u32).to_be_bytes());
        ihdr.extend_from_slice(&[8, color_type, 0, 0, 0]);
        chunk(b"IHDR", &ihdr);
        chunk(
            b"IDAT",
            &miniz_oxide::deflate::compress_to_vec_zlib(&raw, 6),
        );
        chunk(b"IEND", &[]);
        out
    }

    #[test]
    fn rgba_png_splits_alpha_and_unfilters() {
        // Row 2 uses the Up filter: each byte adds the one above.
        let png = tiny_png(
            6,
            4,
            &[(0, vec![10, 20, 30, 255, 1, 2, 3, 0]), (2, vec![1; 8])],
        );
        let img = Image::decode(&png).unwrap();
        assert_eq!((img.width, img.height, img.color), (2, 2, ColorSpace::Rgb));
        assert_eq!(&img.data[..], [10, 20, 30, 1, 2, 3, 11, 21, 31, 2, 3, 4]);
        assert_eq!(img.alpha, Some(vec![255, 0, 0, 1]));
        assert_eq!(img.digest.len(), 16);
    }

    #[test]
    fn jpeg_size_comes_from_the_frame_header() {
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0, 0, 0xFF, 0xC0, 0x00, 0x11, 8, 0x00, 0x40, 0x00,
            0xF0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        ];
        let img = Image::decode(&jpeg).unwrap();
        assert_eq!(
            (img.width, img.height, img.color),
            (240, 64, ColorSpace::Rgb)
        );
        assert_eq!(img.encoding, Encoding::Jpeg);
    }

    #[test]
    fn other_files_are_refused() {
        assert_eq!(Image::decode(b"GIF89a"), Err(ImageError::UnknownFormat));
    }
}
