//! The layout's output: fully resolved pages of positioned items. The PDF writer turns each
//! item into drawing operators and never measures text.

use std::sync::Arc;

use crate::fonts::FaceId;
use crate::image::Image;
use crate::units::{Point, Pt, Rect, Rgb};

/// A laid-out packet: pages plus one outline entry per document.
#[derive(Debug, Clone, PartialEq)]
pub struct LaidOutPacket {
    pub pages: Vec<Page>,
    pub outline: Vec<OutlineEntry>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    pub title: String,
    /// 0-based index into `pages`.
    pub page: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub width: Pt,
    pub height: Pt,
    /// The type area: every body item lies inside it.
    pub type_area: Rect,
    /// Content of the type area.
    pub body: Vec<Item>,
    /// Running header, footer and page number: in the margins, inside the paper.
    pub furniture: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Text(GlyphRun),
    Line(LineSegment),
    Rect(RectShape),
    Path(PathShape),
    /// An outlined circle (the place of the company seal).
    Circle(CircleShape),
    /// A picture (the agency logo, a scan) scaled into `rect`.
    Image(ImageItem),
    /// A page of another PDF, drawn upright into `rect` as a form XObject (a dossier's
    /// imported pages).
    Form(FormItem),
}

/// A page of a loaded PDF document; two items with the same document (by identity) and
/// index are the same page, written once and drawn wherever it is used.
#[derive(Debug, Clone)]
pub struct PdfPageRef {
    pub document: Arc<lopdf::Document>,
    /// 0-based page index in `document`.
    pub index: usize,
}

impl PartialEq for PdfPageRef {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.document, &other.document) && self.index == other.index
    }
}

/// An imported page scaled into `rect`, which has the page's upright proportions (its
/// CropBox turned by its /Rotate).
#[derive(Debug, Clone, PartialEq)]
pub struct FormItem {
    pub rect: Rect,
    pub page: PdfPageRef,
}

/// An image drawn into a rectangle (top-left origin, like every other item).
#[derive(Debug, Clone, PartialEq)]
pub struct ImageItem {
    pub rect: Rect,
    pub image: Arc<Image>,
    /// Clockwise quarter turns that set the stored pixels upright (EXIF orientation);
    /// `rect` is the upright rectangle.
    pub quarter_turns: u8,
}

/// Text in one face, size and colour, starting at `origin` (on the baseline).
/// Each glyph advances by its font advance plus `char_spacing`; `width` is the total
/// advance (so tests can check margins without fonts).
#[derive(Debug, Clone, PartialEq)]
pub struct GlyphRun {
    pub origin: Point,
    pub face: FaceId,
    pub size: Pt,
    pub color: Rgb,
    pub char_spacing: Pt,
    pub width: Pt,
    /// Height above the baseline and depth below it, for bounding boxes.
    pub ascent: Pt,
    pub descent: Pt,
    pub text: String,
    /// The text this run stands for when the page is read or copied, where that is not
    /// `text`: a code broken across lines is read whole from its first piece (which stands
    /// for all of it) and not again from the others (which stand for nothing).
    pub actual_text: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stroke {
    pub width: Pt,
    pub color: Rgb,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineSegment {
    pub from: Point,
    pub to: Point,
    pub stroke: Stroke,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RectShape {
    pub rect: Rect,
    pub stroke: Option<Stroke>,
    pub fill: Option<Rgb>,
}

/// An open or closed polyline (tick marks, diagonal strokes).
#[derive(Debug, Clone, PartialEq)]
pub struct PathShape {
    pub points: Vec<Point>,
    pub closed: bool,
    pub stroke: Stroke,
}

/// A circle outline given by its centre and radius (the PDF writer draws it as four Bézier
/// arcs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CircleShape {
    pub center: Point,
    pub radius: Pt,
    pub stroke: Stroke,
}

impl CircleShape {
    /// The square the circle is drawn in.
    pub fn bounds(&self) -> Rect {
        Rect {
            x: self.center.x - self.radius,
            y: self.center.y - self.radius,
            width: self.radius * 2.0,
            height: self.radius * 2.0,
        }
    }
}

impl GlyphRun {
    /// The run's bounding box.
    pub fn bounds(&self) -> Rect {
        Rect {
            x: self.origin.x,
            y: self.origin.y - self.ascent,
            width: self.width,
            height: self.ascent + self.descent,
        }
    }
}

impl Page {
    /// All text on the page in drawing order.
    pub fn runs(&self) -> impl Iterator<Item = &GlyphRun> {
        self.body
            .iter()
            .chain(self.furniture.iter())
            .filter_map(|i| match i {
                Item::Text(r) => Some(r),
                _ => None,
            })
    }
}
