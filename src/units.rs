//! Lengths and colours shared by layout and the PDF writer: `Pt` is a newtype so that
//! millimetres, points and em fractions never mix silently.

use std::ops::{Add, AddAssign, Div, Mul, Neg, Sub, SubAssign};

/// A length in PostScript points (1/72 inch).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Pt(pub f32);

impl Pt {
    pub const ZERO: Pt = Pt(0.0);

    /// Millimetres to points.
    pub fn mm(mm: f32) -> Pt {
        Pt(mm * 72.0 / 25.4)
    }

    pub fn to_mm(self) -> f32 {
        self.0 * 25.4 / 72.0
    }

    pub fn max(self, other: Pt) -> Pt {
        Pt(self.0.max(other.0))
    }

    pub fn min(self, other: Pt) -> Pt {
        Pt(self.0.min(other.0))
    }
}

impl Add for Pt {
    type Output = Pt;
    fn add(self, o: Pt) -> Pt {
        Pt(self.0 + o.0)
    }
}
impl Sub for Pt {
    type Output = Pt;
    fn sub(self, o: Pt) -> Pt {
        Pt(self.0 - o.0)
    }
}
impl Mul<f32> for Pt {
    type Output = Pt;
    fn mul(self, k: f32) -> Pt {
        Pt(self.0 * k)
    }
}
impl Div<f32> for Pt {
    type Output = Pt;
    fn div(self, k: f32) -> Pt {
        Pt(self.0 / k)
    }
}
impl Neg for Pt {
    type Output = Pt;
    fn neg(self) -> Pt {
        Pt(-self.0)
    }
}
impl AddAssign for Pt {
    fn add_assign(&mut self, o: Pt) {
        self.0 += o.0;
    }
}
impl SubAssign for Pt {
    fn sub_assign(&mut self, o: Pt) {
        self.0 -= o.0;
    }
}

/// A point on the page, measured from the **top-left** corner (y grows downwards).
/// The PDF writer flips y; nothing before it needs to know PDF's bottom-left origin.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    pub x: Pt,
    pub y: Pt,
}

/// An axis-aligned rectangle, top-left origin.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    pub x: Pt,
    pub y: Pt,
    pub width: Pt,
    pub height: Pt,
}

impl Rect {
    pub fn right(&self) -> Pt {
        self.x + self.width
    }
    pub fn bottom(&self) -> Pt {
        self.y + self.height
    }
}

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub const BLACK: Rgb = Rgb(0, 0, 0);
    pub const DARK_GREY: Rgb = Rgb(0x55, 0x55, 0x55);
    pub const LIGHT_GREY: Rgb = Rgb(0xBB, 0xBB, 0xBB);

    /// Parses `#RRGGBB`.
    pub fn from_hex(s: &str) -> Option<Rgb> {
        let h = s.strip_prefix('#')?;
        if h.len() != 6 {
            return None;
        }
        let v = u32::from_str_radix(h, 16).ok()?;
        Some(Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mm_round_trip() {
        assert!((Pt::mm(210.0).0 - 595.2756).abs() < 0.01);
        assert!((Pt::mm(37.0).to_mm() - 37.0).abs() < 1e-4);
    }

    #[test]
    fn hex_colour() {
        assert_eq!(Rgb::from_hex("#1a2B3c"), Some(Rgb(0x1a, 0x2b, 0x3c)));
        assert_eq!(Rgb::from_hex("123456"), None);
    }
}
