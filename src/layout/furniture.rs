//! Turns packet metadata and page numbers into each page's furniture: the running header
//! (`meta.header`, small and grey, with a thin rule) above the type area and the centred
//! page number below it, once the total page count is known; with an agency's brand, its
//! logo on the header rule, the rule in its accent colour and its line above the page number.

use crate::document::{Align, FooterLang, PacketMeta};
use crate::fonts::FontBook;
use std::sync::Arc;

use crate::units::{Point, Pt, Rect};

use super::memo::set_lines;
use super::page::{ImageItem, Item, LineSegment, Page, Stroke};
use super::paragraph::LineSetting;
use super::slab::shift;
use super::style::Style;
use super::text::shape_str;
use super::LayoutError;

/// The footer text for page `number` (1-based) of `total`.
pub fn page_label(lang: FooterLang, number: usize, total: usize) -> String {
    match lang {
        FooterLang::Bilingual => format!("第 {number} 页 共 {total} 页 / Page {number} of {total}"),
        FooterLang::Zh => format!("第 {number} 页 共 {total} 页"),
        FooterLang::En => format!("Page {number} of {total}"),
    }
}

/// Adds header and footer to `page` (page `number` of `total`).
pub(crate) fn add_furniture(
    page: &mut Page,
    style: &Style,
    meta: &PacketMeta,
    (number, total): (usize, usize),
    fonts: &FontBook,
) -> Result<(), LayoutError> {
    let area = page.type_area;
    let fs = style.furniture;
    let brand = meta.brand.as_ref();
    let rule_y = area.y - fs.header_rule;
    // The logo sits on the header rule at the right; the header text keeps clear of it.
    let logo = brand.and_then(|b| b.logo.as_ref()).map(|image| {
        let height = Pt::mm(LOGO_HEIGHT_MM);
        let width = Pt(height.0 * image.aspect()).min(area.width * 0.4);
        let height = Pt(width.0 / image.aspect());
        ImageItem {
            rect: Rect {
                x: area.right() - width,
                y: rule_y - Pt::mm(1.0) - height,
                width,
                height,
            },
            image: Arc::clone(image),
            quarter_turns: 0,
        }
    });
    let logo_room = logo
        .as_ref()
        .map_or(0.0, |l| l.rect.width.0 + Pt::mm(4.0).0);
    if !meta.header.is_empty() {
        let baseline = area.y.0 - fs.header_baseline.0;
        let span = (area.x.0, area.width.0 - logo_room);
        page.furniture.extend(one_line(
            &meta.header,
            Align::Left,
            baseline,
            span,
            style,
            fonts,
        )?);
    }
    if !meta.header.is_empty() || brand.is_some() {
        page.furniture.push(Item::Line(LineSegment {
            from: Point {
                x: area.x,
                y: rule_y,
            },
            to: Point {
                x: area.right(),
                y: rule_y,
            },
            stroke: Stroke {
                width: Pt(0.4),
                color: brand.and_then(|b| b.accent).unwrap_or(fs.text.color),
            },
        }));
    }
    page.furniture.extend(logo.map(Item::Image));
    let label = page_label(meta.footer_lang, number, total);
    let baseline = area.bottom().0 + fs.footer_baseline.0;
    let span = (area.x.0, area.width.0);
    page.furniture.extend(one_line(
        &label,
        Align::Center,
        baseline,
        span,
        style,
        fonts,
    )?);
    if let Some(brand) = brand.filter(|b| !b.line.is_empty()) {
        // Above the page number: below it would come within 8 mm of the paper's edge.
        let below = baseline - fs.text.size.0 * fs.text.leading * 1.1;
        page.furniture.extend(one_line(
            &brand.line,
            Align::Center,
            below,
            span,
            style,
            fonts,
        )?);
    }
    Ok(())
}

/// Height of the agency logo in the page header.
const LOGO_HEIGHT_MM: f32 = 8.0;

/// `text` on one line across `width` from `x` with its baseline at `baseline`; a text
/// too long for one line keeps its first line only.
fn one_line(
    text: &str,
    align: Align,
    baseline: f32,
    (x, width): (f32, f32),
    style: &Style,
    fonts: &FontBook,
) -> Result<Vec<Item>, LayoutError> {
    let mut text_style = style.furniture.text;
    let mut shaped = shape_str(text, text_style, fonts)?;
    // A line a little too long (a long agency name and contact) is set smaller rather than cut.
    let natural: f32 = shaped.glyphs.iter().map(|g| g.advance).sum();
    if natural > width && natural < width * 1.5 {
        text_style.size = Pt(text_style.size.0 * width / natural * 0.98);
        shaped = shape_str(text, text_style, fonts)?;
    }
    let setting = LineSetting {
        x,
        width,
        align,
        indent: 0.0,
    };
    let Some(line) = set_lines(&shaped, setting).into_iter().next() else {
        return Ok(Vec::new());
    };
    let dy = baseline - line.baseline;
    Ok(line
        .items
        .into_iter()
        .map(|mut item| {
            shift(&mut item, 0.0, dy);
            item
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn footer_labels_by_language() {
        assert_eq!(
            page_label(FooterLang::Bilingual, 2, 5),
            "第 2 页 共 5 页 / Page 2 of 5"
        );
        assert_eq!(page_label(FooterLang::Zh, 1, 3), "第 1 页 共 3 页");
        assert_eq!(page_label(FooterLang::En, 3, 3), "Page 3 of 3");
    }
}
