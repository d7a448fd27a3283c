//! Turns the agency logo the packet carries into the picture of the Word header: a media file
//! Word can show, and its size and place as the PDF's header has them (8 mm high at the
//! right of the type area, at most two fifths of its width).
//!
//! The packet keeps the logo decoded (`crate::image`), as the PDF embeds it. A JPEG's bytes
//! are the file as it came; a PNG is written again from its samples (8-bit grey or RGB,
//! with alpha when it had some) — a few lines of chunk writing with the deflater already in
//! the tree, rather than keeping a second copy of every logo beside the decoded one.

use crate::image::{ColorSpace, Encoding, Image};
use crate::layout::Style;

/// Height of the logo in the header, as the PDF's (`layout::furniture`).
const HEIGHT_MM: f32 = 8.0;
/// English Metric Units per point and per millimetre (OOXML drawing sizes).
const EMU_PER_PT: f32 = 12_700.0;
const EMU_PER_MM: f32 = 36_000.0;

/// The header picture: its file and its size in EMU.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderLogo {
    pub file: Vec<u8>,
    /// `png` or `jpeg`: the media file's extension, which names its content type.
    pub extension: &'static str,
    pub width: u32,
    pub height: u32,
}

impl HeaderLogo {
    /// The logo of `image` for pages in `style`; `None` for a raw CMYK image, which no PNG
    /// can hold (`crate::image` only makes JPEGs CMYK).
    pub fn new(image: &Image, style: &Style) -> Option<HeaderLogo> {
        let (file, extension) = match image.encoding {
            Encoding::Jpeg => (image.data.to_vec(), "jpeg"),
            Encoding::Raw => (png(image)?, "png"),
        };
        let text_width = (style.page_width - style.margin_left - style.margin_right).0;
        let height = HEIGHT_MM * EMU_PER_MM;
        let width = (height * image.aspect()).min(0.4 * text_width * EMU_PER_PT);
        let height = width / image.aspect();
        Some(HeaderLogo {
            file,
            extension,
            width: width.round() as u32,
            height: height.round() as u32,
        })
    }

    pub fn content_type(&self) -> &'static str {
        match self.extension {
            "jpeg" => "image/jpeg",
            _ => "image/png",
        }
    }
}

/// A PNG file of `image`'s raw 8-bit samples (and alpha).
fn png(image: &Image) -> Option<Vec<u8>> {
    let (channels, color_type) = match (image.color, &image.alpha) {
        (ColorSpace::Gray, None) => (1, 0),
        (ColorSpace::Rgb, None) => (3, 2),
        (ColorSpace::Gray, Some(_)) => (1, 4),
        (ColorSpace::Rgb, Some(_)) => (3, 6),
        (ColorSpace::Cmyk, _) => return None,
    };
    let width = image.width as usize;
    let row = width * channels;
    let mut scanlines = Vec::with_capacity((row + width + 1) * image.height as usize);
    for y in 0..image.height as usize {
        // Filter type 0: the samples as they are.
        scanlines.push(0);
        let samples = image.data.get(y * row..(y + 1) * row)?;
        match &image.alpha {
            None => scanlines.extend_from_slice(samples),
            Some(alpha) => {
                let alpha = alpha.get(y * width..(y + 1) * width)?;
                for (pixel, a) in samples.chunks(channels).zip(alpha) {
                    scanlines.extend_from_slice(pixel);
                    scanlines.push(*a);
                }
            }
        }
    }
    let mut header = Vec::with_capacity(13);
    header.extend(image.width.to_be_bytes());
    header.extend(image.height.to_be_bytes());
    // 8-bit samples, deflate, adaptive filtering, no interlace.
    header.extend([8, color_type, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &header);
    chunk(
        &mut out,
        b"IDAT",
        &miniz_oxide::deflate::compress_to_vec_zlib(&scanlines, 6),
    );
    chunk(&mut out, b"IEND", &[]);
    Some(out)
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], body: &[u8]) {
    out.extend((body.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(body);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(body);
    out.extend(crc.finalize().to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style() -> Style {
        crate::stylesheet::Styles::default().letter
    }

    #[test]
    fn a_png_logo_is_written_again_and_decodes_to_the_same_samples() {
        let bytes = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/agency/logo.png"),
        )
        .unwrap();
        let image = Image::decode(&bytes).unwrap();
        let logo = HeaderLogo::new(&image, &style()).unwrap();
        assert_eq!(logo.extension, "png");
        let again = Image::decode(&logo.file).unwrap();
        assert_eq!(
            (again.width, again.height, again.color),
            (image.width, image.height, image.color)
        );
        assert_eq!(again.data, image.data);
        assert_eq!(again.alpha, image.alpha);
        // 8 mm high, the width as the aspect gives it.
        assert_eq!(logo.height, 288_000);
        let width = 288_000.0 * image.aspect();
        assert!((logo.width as f32 - width).abs() <= 1.0, "{}", logo.width);
    }

    #[test]
    fn a_grey_png_with_alpha_keeps_its_alpha() {
        let image = Image {
            width: 2,
            height: 2,
            color: ColorSpace::Gray,
            encoding: Encoding::Raw,
            data: vec![0, 64, 128, 255].into(),
            alpha: Some(vec![255, 0, 10, 20]),
            digest: String::new(),
        };
        let file = png(&image).unwrap();
        let again = Image::decode(&file).unwrap();
        assert_eq!(again.data, image.data);
        assert_eq!(again.alpha, image.alpha);
    }

    #[test]
    fn a_wide_logo_is_held_to_two_fifths_of_the_type_area() {
        let image = Image {
            width: 100,
            height: 1,
            color: ColorSpace::Rgb,
            encoding: Encoding::Jpeg,
            data: vec![0xFF, 0xD8].into(),
            alpha: None,
            digest: String::new(),
        };
        let style = style();
        let logo = HeaderLogo::new(&image, &style).unwrap();
        let text_width = (style.page_width - style.margin_left - style.margin_right).0;
        assert_eq!(logo.width, (0.4 * text_width * EMU_PER_PT).round() as u32);
        assert_eq!(logo.height, (logo.width as f32 / 100.0).round() as u32);
        assert_eq!(
            (logo.extension, logo.content_type()),
            ("jpeg", "image/jpeg")
        );
    }
}
