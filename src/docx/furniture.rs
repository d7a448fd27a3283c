//! Turns the packet's running-header text and footer language into a Word header and
//! footer: the header line (and the agency's line) as text, the page number and the page
//! count as `PAGE` / `NUMPAGES` fields, so Word counts the pages it sets
//! ("第 N 页 共 M 页 / Page N of M", worded by the same function as the PDF's footer).

use docx_rs::{Footer, Header, NumPages, PageNum, Paragraph, Run};

use crate::document::PacketMeta;
use crate::layout::page_label;

use super::styles::{FOOTER, HEADER};

/// Stand-ins for the two numbers, far outside any real page count, so the footer wording
/// comes from `page_label` alone.
const PAGE: usize = 1_000_000_001;
const PAGES: usize = 1_000_000_002;

/// A field or a piece of literal text of the footer line.
#[derive(Debug, PartialEq)]
enum Piece {
    Text(String),
    Page,
    Pages,
}

pub fn header(meta: &PacketMeta, next_id: &mut u32) -> Header {
    let p = paragraph(HEADER, next_id).add_run(Run::new().add_text(&meta.header));
    Header::new().add_paragraph(p)
}

pub fn footer(meta: &PacketMeta, next_id: &mut u32) -> Footer {
    let mut footer = Footer::new();
    if let Some(brand) = &meta.brand {
        let p = paragraph(FOOTER, next_id).add_run(Run::new().add_text(&brand.line));
        footer = footer.add_paragraph(p);
    }
    let mut p = paragraph(FOOTER, next_id);
    for piece in pieces(&page_label(meta.footer_lang, PAGE, PAGES)) {
        p = match piece {
            Piece::Text(t) => p.add_run(Run::new().add_text(t)),
            Piece::Page => p.add_page_num(PageNum::new()),
            Piece::Pages => p.add_num_pages(NumPages::new()),
        };
    }
    footer.add_paragraph(p)
}

fn paragraph(style: &str, next_id: &mut u32) -> Paragraph {
    Paragraph::new()
        .id(super::paragraph_id(next_id))
        .style(style)
}

/// `label` cut at the stand-in numbers.
fn pieces(label: &str) -> Vec<Piece> {
    let (page, pages) = (PAGE.to_string(), PAGES.to_string());
    let mut out = Vec::new();
    let mut rest = label;
    while !rest.is_empty() {
        let next = [(&page, Piece::Page), (&pages, Piece::Pages)]
            .into_iter()
            .filter_map(|(n, piece)| rest.find(n.as_str()).map(|at| (at, n.len(), piece)))
            .min_by_key(|(at, _, _)| *at);
        match next {
            Some((at, len, piece)) => {
                if at > 0 {
                    out.push(Piece::Text(rest[..at].to_string()));
                }
                out.push(piece);
                rest = &rest[at + len..];
            }
            None => {
                out.push(Piece::Text(rest.to_string()));
                rest = "";
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::FooterLang;

    #[test]
    fn bilingual_footer_is_text_and_fields() {
        let got = pieces(&page_label(FooterLang::Bilingual, PAGE, PAGES));
        let text = |s: &str| Piece::Text(s.to_string());
        assert_eq!(
            got,
            vec![
                text("第 "),
                Piece::Page,
                text(" 页 共 "),
                Piece::Pages,
                text(" 页 / Page "),
                Piece::Page,
                text(" of "),
                Piece::Pages,
            ]
        );
    }
}
