//! Pixel work on decoded pages: EXIF orientations applied for real (mirrors included),
//! resizing, and JPEG encoding without EXIF (so nothing but the pixels says which way is up).
//!
//! `fast_image_resize` resizes (SIMD convolution, far faster than the `image` crate's; it
//! is only needed for the last step after the DCT has done the coarse 1/2, 1/4, 1/8
//! shrinking); `jpeg-encoder` encodes (pure Rust, well kept, AVX2 paths; no C toolchain as
//! mozjpeg would need).

use fast_image_resize::images::{Image as ResizeImage, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg};

use crate::dossier::inspect::raster::Raster;

/// JPEG quality of pages converted for the bound copy (PNG, TIFF, CMYK, mirrored photos).
pub const CONVERT_QUALITY: u8 = 88;
/// JPEG quality of pages downsampled to fit the size limit.
pub const SHRINK_QUALITY: u8 = 80;

/// The raster as it stands upright under EXIF `orientation` (1–8; others leave it).
pub fn orient(raster: Raster, orientation: u8) -> Raster {
    if !(2..=8).contains(&orientation) {
        return raster;
    }
    let (w, h) = (raster.width as usize, raster.height as usize);
    let channels = if raster.gray { 1 } else { 3 };
    let (dw, dh) = if orientation >= 5 { (h, w) } else { (w, h) };
    let mut out = vec![0u8; dw * dh * channels];
    for dy in 0..dh {
        for dx in 0..dw {
            let (sx, sy) = match orientation {
                2 => (w - 1 - dx, dy),
                3 => (w - 1 - dx, h - 1 - dy),
                4 => (dx, h - 1 - dy),
                5 => (dy, dx),
                6 => (dy, h - 1 - dx),
                7 => (w - 1 - dy, h - 1 - dx),
                _ => (w - 1 - dy, dx),
            };
            let from = (sy * w + sx) * channels;
            let to = (dy * dw + dx) * channels;
            out[to..to + channels].copy_from_slice(&raster.pixels[from..from + channels]);
        }
    }
    Raster {
        width: dw as u32,
        height: dh as u32,
        gray: raster.gray,
        pixels: out,
    }
}

/// EXIF orientation of `turns` clockwise quarter turns.
pub fn orientation_of_turns(turns: u8) -> u8 {
    [1, 6, 3, 8][usize::from(turns % 4)]
}

/// The raster resized to `width`×`height` (a no-op at its own size).
pub fn resize(raster: Raster, width: u32, height: u32) -> Raster {
    if (raster.width, raster.height) == (width, height) || width == 0 || height == 0 {
        return raster;
    }
    resized(&raster, width, height).unwrap_or(raster)
}

/// A copy of the raster at `width`×`height`, the source left as it is (None when the sizes
/// are impossible).
pub fn resized(raster: &Raster, width: u32, height: u32) -> Option<Raster> {
    let pixel_type = if raster.gray {
        PixelType::U8
    } else {
        PixelType::U8x3
    };
    let source = ImageRef::new(raster.width, raster.height, &raster.pixels, pixel_type).ok()?;
    let mut target = ResizeImage::new(width, height, pixel_type);
    let options = fast_image_resize::ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(FilterType::Bilinear));
    fast_image_resize::Resizer::new()
        .resize(&source, &mut target, &options)
        .ok()?;
    Some(Raster {
        width,
        height,
        gray: raster.gray,
        pixels: target.into_vec(),
    })
}

/// Baseline JPEG of the raster at `quality`, with its resolution on A4 as JFIF density.
pub fn encode(raster: &Raster, quality: u8) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let colour = if raster.gray {
        jpeg_encoder::ColorType::Luma
    } else {
        jpeg_encoder::ColorType::Rgb
    };
    let dpi = crate::dossier::inspect::dpi_on_a4(raster.width, raster.height).round() as u16;
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, quality);
    encoder.set_density(jpeg_encoder::Density::Inch { x: dpi, y: dpi });
    let side = |v: u32| u16::try_from(v).map_err(|_| format!("{v} pixels is too wide for JPEG"));
    encoder
        .encode(
            &raster.pixels,
            side(raster.width)?,
            side(raster.height)?,
            colour,
        )
        .map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3×2 gray raster numbered 0..6 row by row:
    /// 0 1 2
    /// 3 4 5
    fn numbered() -> Raster {
        Raster {
            width: 3,
            height: 2,
            gray: true,
            pixels: (0..6).collect(),
        }
    }

    #[test]
    fn every_exif_orientation_stands_the_image_upright() {
        let cases: [(u8, &[u8]); 8] = [
            (1, &[0, 1, 2, 3, 4, 5]),
            (2, &[2, 1, 0, 5, 4, 3]),
            (3, &[5, 4, 3, 2, 1, 0]),
            (4, &[3, 4, 5, 0, 1, 2]),
            (5, &[0, 3, 1, 4, 2, 5]),
            (6, &[3, 0, 4, 1, 5, 2]),
            (7, &[5, 2, 4, 1, 3, 0]),
            (8, &[2, 5, 1, 4, 0, 3]),
        ];
        for (orientation, expected) in cases {
            let out = orient(numbered(), orientation);
            assert_eq!(out.pixels, expected, "orientation {orientation}");
            let size = if orientation >= 5 { (2, 3) } else { (3, 2) };
            assert_eq!((out.width, out.height), size);
        }
    }

    #[test]
    fn turns_map_to_the_rotating_orientations() {
        assert_eq!(
            (0..4).map(orientation_of_turns).collect::<Vec<_>>(),
            [1, 6, 3, 8]
        );
    }

    #[test]
    fn resize_and_encode_give_a_jpeg_of_the_asked_size() {
        let raster = Raster {
            width: 64,
            height: 48,
            gray: false,
            pixels: vec![200; 64 * 48 * 3],
        };
        let small = resize(raster, 32, 24);
        assert_eq!(small.pixels.len(), 32 * 24 * 3);
        let jpeg = encode(&small, SHRINK_QUALITY).unwrap();
        let header = crate::dossier::inspect::raster::jpeg_header(&jpeg).unwrap();
        assert_eq!(
            (header.width, header.height, header.components),
            (32, 24, 3)
        );
    }
}
