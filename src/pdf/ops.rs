//! Turns one laid-out page into printpdf operations: the one `match` over layout items.
//! Positions arrive from the top-left corner with y downwards and leave in PDF's bottom-left
//! system. Fill colour, stroke, font and character spacing are graphics state that persists
//! between items, so they are only written when they change; consecutive text runs share
//! one text object.

use std::collections::BTreeMap;

use printpdf::{
    Color, CurTransMat, DictItem, FontId, Line, LinePoint, Op, PaintMode, PdfFontHandle, XObjectId,
    XObjectTransform,
};

use super::fonts::FontSubset;

use crate::fonts::FaceId;
use crate::layout::{
    CircleShape, FormItem, GlyphRun, ImageItem, Item, LineSegment, Page, PathShape, RectShape,
    Stroke,
};
use crate::units::{Point, Pt, Rect, Rgb};

/// The graphics state already written to the content stream.
#[derive(Default)]
struct State {
    fill: Option<Rgb>,
    stroke: Option<Stroke>,
    font: Option<(FaceId, f32)>,
    char_spacing: f32,
    in_text: bool,
    /// Where the current text line starts, in thousandths of a point; `BT` resets it to 0.
    line_start: (i64, i64),
}

/// Writes one page's content.
pub(super) struct PageWriter<'a> {
    fonts: &'a BTreeMap<FaceId, FontSubset>,
    images: &'a BTreeMap<String, XObjectId>,
    /// Upright size in points of each imported page's form, by its key.
    form_sizes: &'a BTreeMap<String, (f32, f32)>,
    height: Pt,
    state: State,
    ops: Vec<Op>,
}

impl<'a> PageWriter<'a> {
    /// The operations that draw `page` (body, then furniture). `fonts` names every face a run
    /// on the page uses.
    pub(super) fn page_ops(
        page: &Page,
        fonts: &'a BTreeMap<FaceId, FontSubset>,
        images: &'a BTreeMap<String, XObjectId>,
        form_sizes: &'a BTreeMap<String, (f32, f32)>,
    ) -> Vec<Op> {
        let mut writer = PageWriter {
            fonts,
            images,
            form_sizes,
            height: page.height,
            state: State::default(),
            ops: Vec::new(),
        };
        for item in page.body.iter().chain(&page.furniture) {
            writer.item(item);
        }
        writer.end_text();
        writer.ops
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::Text(run) => self.text(run),
            Item::Line(line) => self.line(line),
            Item::Rect(rect) => self.rect(rect),
            Item::Path(path) => self.path(path),
            Item::Circle(circle) => self.circle(circle),
            Item::Image(image) => self.image(image),
            Item::Form(form) => self.form(form),
        }
    }

    fn text(&mut self, run: &GlyphRun) {
        if run.text.is_empty() {
            return;
        }
        let Some(subset) = self.fonts.get(&run.face) else {
            // The caller names every face a run uses; a missing one would be a bug there.
            debug_assert!(false, "face {:?} has no font id", run.face);
            return;
        };
        if !self.state.in_text {
            self.ops.push(Op::StartTextSection);
            self.state.in_text = true;
            self.state.line_start = (0, 0);
        }
        if self.state.font != Some((run.face, run.size.0)) {
            let font = PdfFontHandle::External(FontId(subset.resource().to_string()));
            self.ops.push(Op::SetFont {
                font,
                size: printpdf::Pt(run.size.0),
            });
            self.state.font = Some((run.face, run.size.0));
        }
        self.set_fill(run.color);
        if self.state.char_spacing != run.char_spacing.0 {
            self.ops.push(Op::SetCharacterSpacing {
                multiplier: rounded(run.char_spacing.0),
            });
            self.state.char_spacing = run.char_spacing.0;
        }
        self.move_to(run.origin);
        // Codes in the packet's subset; the coverage check before the pages are written
        // guarantees every character has one, so none is dropped here. One literal string
        // of two-byte codes per run: printpdf writes a hex string per glyph, which made the
        // content streams twice as large before compression and a third larger after.
        let mut codes = Vec::with_capacity(2 * run.text.len());
        for code in run.text.chars().filter_map(|ch| subset.code(ch)) {
            codes.extend_from_slice(&code.to_be_bytes());
        }
        if let Some(actual) = &run.actual_text {
            self.ops.push(actual_text_span(actual));
        }
        self.ops.push(Op::Unknown {
            key: "Tj".to_string(),
            value: vec![DictItem::String {
                data: codes,
                literal: true,
            }],
        });
        if run.actual_text.is_some() {
            self.ops.push(Op::EndMarkedContent);
        }
    }

    /// Scales the unit-square image onto its rectangle inside a saved graphics state,
    /// turned clockwise by its quarter turns.
    fn image(&mut self, item: &ImageItem) {
        let Some(id) = self.images.get(&item.image.digest) else {
            debug_assert!(false, "image {} has no XObject", item.image.digest);
            return;
        };
        let matrix = quarter_turned(self.lower_left(item.rect), item.rect, item.quarter_turns);
        self.draw_xobject(id.clone(), matrix);
    }

    /// Draws an imported page: its form's own /Matrix sets it upright at the origin with
    /// its upright size in points, so placing it is a scale and a move.
    fn form(&mut self, item: &FormItem) {
        let key = super::import::form_key(&item.page);
        let (Some(id), Some(size)) = (self.images.get(&key), self.form_sizes.get(&key)) else {
            debug_assert!(false, "page {key} has no form XObject");
            return;
        };
        let (x, y) = self.lower_left(item.rect);
        let (sx, sy) = (
            item.rect.width.0 / size.0.max(f32::EPSILON),
            item.rect.height.0 / size.1.max(f32::EPSILON),
        );
        self.draw_xobject(id.clone(), [rounded(sx), 0.0, 0.0, rounded(sy), x, y]);
    }

    fn lower_left(&self, r: Rect) -> (f32, f32) {
        let p = self.flip(Point {
            x: r.x,
            y: r.bottom(),
        });
        (p.x.0, p.y.0)
    }

    fn draw_xobject(&mut self, id: XObjectId, matrix: [f32; 6]) {
        self.end_text();
        self.ops.push(Op::SaveGraphicsState);
        self.ops.push(Op::SetTransformationMatrix {
            matrix: CurTransMat::Raw(matrix),
        });
        self.ops.push(Op::UseXobject {
            id,
            transform: XObjectTransform {
                no_auto_scale: true,
                ..XObjectTransform::default()
            },
        });
        self.ops.push(Op::RestoreGraphicsState);
    }

    fn line(&mut self, line: &LineSegment) {
        self.end_text();
        self.set_stroke(line.stroke);
        self.ops.push(Op::DrawLine {
            line: self.polyline(&[line.from, line.to], false),
        });
    }

    fn path(&mut self, path: &PathShape) {
        if path.points.len() < 2 {
            return;
        }
        self.end_text();
        self.set_stroke(path.stroke);
        self.ops.push(Op::DrawLine {
            line: self.polyline(&path.points, path.closed),
        });
    }

    /// Four cubic Bézier arcs, one per quadrant, starting at the rightmost point.
    fn circle(&mut self, circle: &CircleShape) {
        self.end_text();
        self.set_stroke(circle.stroke);
        let points = circle_points(circle)
            .into_iter()
            .enumerate()
            .map(|(i, p)| LinePoint {
                p: self.flip(p),
                // After the start, each arc is two control points then its end point.
                bezier: !i.is_multiple_of(3),
            })
            .collect();
        self.ops.push(Op::DrawLine {
            line: Line {
                points,
                is_closed: true,
            },
        });
    }

    fn rect(&mut self, shape: &RectShape) {
        let mode = match (shape.fill, shape.stroke) {
            (None, None) => return,
            (Some(_), None) => PaintMode::Fill,
            (None, Some(_)) => PaintMode::Stroke,
            (Some(_), Some(_)) => PaintMode::FillStroke,
        };
        self.end_text();
        if let Some(fill) = shape.fill {
            self.set_fill(fill);
        }
        if let Some(stroke) = shape.stroke {
            self.set_stroke(stroke);
        }
        let r = shape.rect;
        // `re` takes the lower-left corner.
        let lower_left = self.flip(Point {
            x: r.x,
            y: r.bottom(),
        });
        self.ops.push(Op::DrawRectangle {
            rectangle: printpdf::Rect {
                x: lower_left.x,
                y: lower_left.y,
                width: printpdf::Pt(rounded(r.width.0)),
                height: printpdf::Pt(rounded(r.height.0)),
                mode: Some(mode),
                winding_order: None,
            },
        });
    }

    fn polyline(&self, points: &[Point], closed: bool) -> Line {
        let points = points
            .iter()
            .map(|p| LinePoint {
                p: self.flip(*p),
                bezier: false,
            })
            .collect();
        Line {
            points,
            is_closed: closed,
        }
    }

    fn flip(&self, p: Point) -> printpdf::Point {
        printpdf::Point {
            x: printpdf::Pt(rounded(p.x.0)),
            y: printpdf::Pt(rounded(self.height.0 - p.y.0)),
        }
    }

    /// Moves to the start of a run with `Td`, relative to the previous run's start: the
    /// moves from line to line repeat (`0 -22.578 Td`) where absolute `Tm` matrices never
    /// do, which makes the content streams a tenth smaller after compression. Offsets are
    /// whole thousandths of a point, so positions never drift.
    fn move_to(&mut self, origin: Point) {
        let at = self.flip(origin);
        let at = (thousandths(at.x.0), thousandths(at.y.0));
        let (from_x, from_y) = self.state.line_start;
        self.state.line_start = at;
        let pos = printpdf::Point {
            x: printpdf::Pt((at.0 - from_x) as f32 / 1000.0),
            y: printpdf::Pt((at.1 - from_y) as f32 / 1000.0),
        };
        self.ops.push(Op::SetTextCursor { pos });
    }

    fn end_text(&mut self) {
        if self.state.in_text {
            self.ops.push(Op::EndTextSection);
            self.state.in_text = false;
        }
    }

    fn set_fill(&mut self, color: Rgb) {
        if self.state.fill != Some(color) {
            self.ops.push(Op::SetFillColor {
                col: pdf_color(color),
            });
            self.state.fill = Some(color);
        }
    }

    fn set_stroke(&mut self, stroke: Stroke) {
        let previous = self.state.stroke;
        if previous.map(|s| s.color) != Some(stroke.color) {
            self.ops.push(Op::SetOutlineColor {
                col: pdf_color(stroke.color),
            });
        }
        if previous.map(|s| s.width) != Some(stroke.width) {
            self.ops.push(Op::SetOutlineThickness {
                pt: printpdf::Pt(stroke.width.0),
            });
        }
        self.state.stroke = Some(stroke);
    }
}

/// The matrix that maps the unit square of an image onto the upright rectangle `r` (lower
/// left corner at `(x, y)` in PDF space) after `turns` clockwise quarter turns of the
/// stored pixels: the image's top-left corner lands top-right after one turn, and so on.
fn quarter_turned((x, y): (f32, f32), r: Rect, turns: u8) -> [f32; 6] {
    let (w, h) = (rounded(r.width.0), rounded(r.height.0));
    match turns % 4 {
        0 => [w, 0.0, 0.0, h, x, y],
        1 => [0.0, -h, w, 0.0, x, rounded(y + h)],
        2 => [-w, 0.0, 0.0, -h, rounded(x + w), rounded(y + h)],
        _ => [0.0, h, -w, 0.0, rounded(x + w), y],
    }
}

/// Distance of a quarter circle's control points from its ends, as a fraction of the radius:
/// 4/3·(√2 − 1), which keeps the curve within 0.03 % of the true circle.
const KAPPA: f32 = 0.552_284_8;

/// Start point, then per quadrant two control points and the end: 13 points, the last
/// equal to the first.
fn circle_points(circle: &CircleShape) -> Vec<Point> {
    let (cx, cy, r) = (circle.center.x.0, circle.center.y.0, circle.radius.0);
    let k = r * KAPPA;
    let at = |x: f32, y: f32| Point {
        x: Pt(cx + x),
        y: Pt(cy + y),
    };
    vec![
        at(r, 0.0),
        at(r, k),
        at(k, r),
        at(0.0, r),
        at(-k, r),
        at(-r, k),
        at(-r, 0.0),
        at(-r, -k),
        at(-k, -r),
        at(0.0, -r),
        at(k, -r),
        at(r, -k),
        at(r, 0.0),
    ]
}

/// `v` to a thousandth of a point: finer than any printer or screen resolves, and it
/// keeps the content streams free of digits like `177.63779` (a tenth of their size).
/// `/Span <</ActualText …>> BDC`: the run is read as `text` (a UTF-16BE text string with
/// its byte order mark; empty when the run is read as nothing), PDF 32000-1 §14.9.4.
fn actual_text_span(text: &str) -> Op {
    let mut data = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        data.extend_from_slice(&unit.to_be_bytes());
    }
    if text.is_empty() {
        data.clear();
    }
    let properties = BTreeMap::from([(
        "ActualText".to_string(),
        DictItem::String {
            data,
            literal: false,
        },
    )]);
    Op::BeginMarkedContentWithProperties {
        tag: "Span".to_string(),
        properties: DictItem::Dict { map: properties },
    }
}

fn thousandths(v: f32) -> i64 {
    (v * 1000.0).round() as i64
}

fn rounded(v: f32) -> f32 {
    (v * 1000.0).round() / 1000.0
}

/// Greys as `g`/`G` (DeviceGray, one operand) rather than three equal `rg` operands: the
/// same colour on screen and paper, and a third of the digits for the text colours the
/// packets alternate between (0.15 KB of the renewal sample after compression).
fn pdf_color(Rgb(r, g, b): Rgb) -> Color {
    let unit = |v: u8| rounded(f32::from(v) / 255.0);
    if r == g && g == b {
        Color::Greyscale(printpdf::Greyscale::new(unit(r), None))
    } else {
        Color::Rgb(printpdf::Rgb::new(unit(r), unit(g), unit(b), None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::Rect;

    fn page(body: Vec<Item>) -> Page {
        let type_area = Rect {
            x: Pt(50.0),
            y: Pt(50.0),
            width: Pt(400.0),
            height: Pt(700.0),
        };
        Page {
            width: Pt(500.0),
            height: Pt(800.0),
            type_area,
            body,
            furniture: Vec::new(),
        }
    }

    fn run(text: &str, y: f32) -> Item {
        Item::Text(GlyphRun {
            origin: Point {
                x: Pt(60.0),
                y: Pt(y),
            },
            face: FaceId(0),
            size: Pt(10.0),
            color: Rgb::BLACK,
            char_spacing: Pt(0.5),
            width: Pt(20.0),
            ascent: Pt(8.0),
            descent: Pt(2.0),
            text: text.to_string(),
            actual_text: None,
        })
    }

    fn fonts() -> BTreeMap<FaceId, FontSubset> {
        let face = crate::fonts::FontBook::builtin().face(FaceId(0));
        let chars = "甲乙".chars().collect();
        BTreeMap::from([(
            FaceId(0),
            super::super::fonts::subset(FaceId(0), face, &chars),
        )])
    }

    #[test]
    fn text_is_flipped_and_state_written_once() {
        let ops = PageWriter::page_ops(
            &page(vec![run("甲", 100.0), run("乙", 120.0)]),
            &fonts(),
            &BTreeMap::new(),
            &BTreeMap::new(),
        );
        // Each `Td` moves from the previous run's start (the first from the origin).
        let moves: Vec<(f32, f32)> = ops
            .iter()
            .filter_map(|op| match op {
                Op::SetTextCursor { pos } => Some((pos.x.0, pos.y.0)),
                _ => None,
            })
            .collect();
        assert_eq!(moves, vec![(60.0, 700.0), (0.0, -20.0)]);
        let count = |f: fn(&Op) -> bool| ops.iter().filter(|op| f(op)).count();
        assert_eq!(count(|op| matches!(op, Op::StartTextSection)), 1);
        assert_eq!(count(|op| matches!(op, Op::SetFont { .. })), 1);
        assert_eq!(
            count(|op| matches!(op, Op::SetCharacterSpacing { multiplier } if *multiplier == 0.5)),
            1
        );
        assert!(matches!(ops.last(), Some(Op::EndTextSection)));
    }

    #[test]
    fn greys_are_gray_operators_and_colours_stay_rgb() {
        assert!(matches!(
            pdf_color(Rgb(85, 85, 85)),
            Color::Greyscale(g) if g.percent == 0.333
        ));
        assert!(matches!(
            pdf_color(Rgb::BLACK),
            Color::Greyscale(g) if g.percent == 0.0
        ));
        let Color::Rgb(rgb) = pdf_color(Rgb(200, 16, 46)) else {
            panic!("a colour became grey")
        };
        assert_eq!((rgb.r, rgb.g, rgb.b), (0.784, 0.063, 0.18));
    }

    /// Four cubic arcs in PDF coordinates whose ends and midpoints lie on the circle.
    #[test]
    fn circle_is_four_closed_bezier_arcs_on_the_radius() {
        let circle = CircleShape {
            center: Point {
                x: Pt(200.0),
                y: Pt(300.0),
            },
            radius: Pt(59.5),
            stroke: Stroke {
                width: Pt(0.5),
                color: Rgb::LIGHT_GREY,
            },
        };
        let ops = PageWriter::page_ops(
            &page(vec![Item::Circle(circle)]),
            &fonts(),
            &BTreeMap::new(),
            &BTreeMap::new(),
        );
        let line = ops
            .iter()
            .find_map(|op| match op {
                Op::DrawLine { line } => Some(line.clone()),
                _ => None,
            })
            .expect("the circle is drawn");
        assert!(line.is_closed);
        let flags: Vec<bool> = line.points.iter().map(|p| p.bezier).collect();
        assert_eq!(flags.len(), 13);
        assert!(flags
            .iter()
            .enumerate()
            .all(|(i, b)| *b != i.is_multiple_of(3)));
        // The centre in PDF space: y flipped on the 800 pt page.
        let (cx, cy) = (200.0, 500.0);
        let dist = |p: &printpdf::Point| ((p.x.0 - cx).hypot(p.y.0 - cy) - 59.5).abs();
        for arc in line.points.windows(4).step_by(3) {
            assert!(dist(&arc[0].p) < 0.01 && dist(&arc[3].p) < 0.01);
            let mid = |f: fn(&printpdf::Point) -> f32| {
                (f(&arc[0].p) + 3.0 * f(&arc[1].p) + 3.0 * f(&arc[2].p) + f(&arc[3].p)) / 8.0
            };
            let m = printpdf::Point {
                x: printpdf::Pt(mid(|p| p.x.0)),
                y: printpdf::Pt(mid(|p| p.y.0)),
            };
            assert!(dist(&m) < 0.05, "{:?}", m);
        }
    }

    #[test]
    fn rect_uses_lower_left_corner_and_paint_mode() {
        let rect = Rect {
            x: Pt(10.0),
            y: Pt(20.0),
            width: Pt(30.0),
            height: Pt(40.0),
        };
        let shape = RectShape {
            rect,
            stroke: Some(Stroke {
                width: Pt(1.0),
                color: Rgb::BLACK,
            }),
            fill: None,
        };
        let ops = PageWriter::page_ops(
            &page(vec![Item::Rect(shape)]),
            &fonts(),
            &BTreeMap::new(),
            &BTreeMap::new(),
        );
        let drawn = ops.iter().find_map(|op| match op {
            Op::DrawRectangle { rectangle } => Some(rectangle.clone()),
            _ => None,
        });
        let drawn = drawn.expect("a rectangle");
        assert_eq!((drawn.x.0, drawn.y.0, drawn.height.0), (10.0, 740.0, 40.0));
        assert_eq!(drawn.mode, Some(PaintMode::Stroke));
        assert!(ops
            .iter()
            .any(|op| matches!(op, Op::SetOutlineThickness { pt } if pt.0 == 1.0)));
    }

    #[test]
    fn line_between_texts_closes_the_text_object() {
        let stroke = Stroke {
            width: Pt(0.5),
            color: Rgb::LIGHT_GREY,
        };
        let from = Point {
            x: Pt(0.0),
            y: Pt(0.0),
        };
        let rule = Item::Line(LineSegment {
            from,
            to: Point {
                x: Pt(5.0),
                y: Pt(0.0),
            },
            stroke,
        });
        let ops = PageWriter::page_ops(
            &page(vec![run("甲", 100.0), rule, run("乙", 120.0)]),
            &fonts(),
            &BTreeMap::new(),
            &BTreeMap::new(),
        );
        let sections = ops
            .iter()
            .filter(|op| matches!(op, Op::StartTextSection))
            .count();
        assert_eq!(sections, 2);
        let line = ops.iter().find_map(|op| match op {
            Op::DrawLine { line } => Some(line.clone()),
            _ => None,
        });
        assert_eq!(line.expect("a line").points[1].p.y.0, 800.0);
    }
}
