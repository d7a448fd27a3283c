//! Turns packet metadata and page numbers into each page's furniture: the running header
//! (`meta.header`, small and grey, with a thin rule) above the type area and the centred
//! page number below it, once the total page count is known.

use crate::document::{Align, FooterLang, PacketMeta};
use crate::fonts::FontBook;
use crate::units::{Point, Pt};

use super::page::{Item, LineSegment, Page, Stroke};
use super::paragraph::{set_lines, LineSetting};
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
    if !meta.header.is_empty() {
        let baseline = area.y.0 - fs.header_baseline.0;
        page.furniture.extend(one_line(
            &meta.header,
            Align::Left,
            baseline,
            page,
            style,
            fonts,
        )?);
        let y = area.y - fs.header_rule;
        page.furniture.push(Item::Line(LineSegment {
            from: Point { x: area.x, y },
            to: Point { x: area.right(), y },
            stroke: Stroke {
                width: Pt(0.4),
                color: fs.text.color,
            },
        }));
    }
    let label = page_label(meta.footer_lang, number, total);
    let baseline = area.bottom().0 + fs.footer_baseline.0;
    page.furniture.extend(one_line(
        &label,
        Align::Center,
        baseline,
        page,
        style,
        fonts,
    )?);
    Ok(())
}

/// `text` on one line across the type area's width with its baseline at `baseline`; a text
/// too long for one line keeps its first line only.
fn one_line(
    text: &str,
    align: Align,
    baseline: f32,
    page: &Page,
    style: &Style,
    fonts: &FontBook,
) -> Result<Vec<Item>, LayoutError> {
    let shaped = shape_str(text, style.furniture.text, fonts)?;
    let setting = LineSetting {
        x: page.type_area.x.0,
        width: page.type_area.width.0,
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
