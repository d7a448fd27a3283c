//! The bound copy (`dossier.pdf`): a cover and a 目录 set by the layout engine, then every
//! material's pages in checklist order, each page stamped 第 N 页 共 M 页 where it covers no
//! content, one bookmark per material; written by the one PDF writer (`crate::pdf`).
//! Also the upload PDF of one material ([`pages_pdf`]): its pages alone, no stamps.
//!
//! The stamps are the layout engine's own page numbers: every material page is laid out as
//! an empty page of its own (so the engine counts and numbers all pages, cover and 目录
//! included, in one pass), and the material is then placed above the footer band the
//! number sits in, scaled down when it would not fit. The 目录 lists the first pages; as
//! its own length decides them, it is set again until its page count is stable (once, in
//! practice).

use std::sync::Arc;

use chrono::NaiveDate;

use super::normalise::{NormalisedPage, PageContent};
use super::report::Status;
use super::{DossierPlan, Slot};
use crate::document::{
    self, Block, Document, DocumentKind, FooterLang, Inline, Packet, PacketMeta, Paragraph,
};
use crate::layout::{FormItem, ImageItem, Item, LaidOutPacket, OutlineEntry, Page, PdfPageRef};
use crate::packet::Engine;
use crate::units::{Pt, Rect};

/// One material of the bound copy; `pages` is empty for a missing one (marked 缺 in the 目录).
pub struct Part<'a> {
    pub slot: &'a Slot,
    pub status: Status,
    pub pages: &'a [NormalisedPage],
}

/// Choices for the bound copy.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A separator page before each material.
    pub separators: bool,
    /// Print 本复印件与原件一致 on the pages of materials that are copies.
    pub copy_marks: bool,
}

/// The bound copy's file and where each material starts.
#[derive(Debug, Clone)]
pub struct Assembled {
    /// The scans stay in their shared buffers until the file is written.
    pub pdf: crate::pdf::PdfFile,
    pub pages: usize,
    /// 1-based first page of each part, as printed in the 目录 and stamps; None when missing.
    pub first_pages: Vec<Option<usize>>,
}

#[derive(Debug, thiserror::Error)]
pub enum AssembleError {
    #[error("the dossier could not be written: {0}")]
    Pdf(String),
}

impl From<crate::layout::LayoutError> for AssembleError {
    fn from(e: crate::layout::LayoutError) -> Self {
        AssembleError::Pdf(e.to_string())
    }
}

impl From<crate::pdf::PdfError> for AssembleError {
    fn from(e: crate::pdf::PdfError) -> Self {
        AssembleError::Pdf(e.to_string())
    }
}

/// The mark on the pages of copies.
pub const COPY_MARK: &str = "本复印件与原件一致";
/// Room kept between a placed page and the stamp's band.
const BAND_GAP: Pt = Pt(6.0);
/// Tries at a stable 目录 length: each try can only grow it, by a page at most.
const MAX_TOC_PASSES: usize = 4;

/// Sets the cover, the 目录 and every part's pages into `dossier.pdf`.
pub fn dossier(
    plan: &DossierPlan,
    parts: &[Part],
    engine: &Engine,
    options: &Options,
) -> Result<Assembled, AssembleError> {
    let meta = dossier_meta(plan, engine);
    let (laid_out, first_pages) = lay_out_dossier(plan, parts, engine, options, &meta)?;
    let pdf = crate::pdf::write_file(&laid_out, &meta, engine.fonts())?;
    Ok(Assembled {
        pdf,
        pages: laid_out.pages.len(),
        first_pages,
    })
}

/// The dossier's pages, stamped, with the parts placed and the bookmarks set; and each
/// part's first page as the 目录 prints it.
fn lay_out_dossier(
    plan: &DossierPlan,
    parts: &[Part],
    engine: &Engine,
    options: &Options,
    meta: &PacketMeta,
) -> Result<(LaidOutPacket, Vec<Option<usize>>), AssembleError> {
    let cover = cover(plan, engine);
    let mut front_pages = 2;
    for _ in 0..MAX_TOC_PASSES {
        let first_pages = first_pages(parts, front_pages, options);
        let packet = Packet {
            meta: meta.clone(),
            documents: documents(&cover, parts, &first_pages, options),
        };
        let mut laid_out = engine.lay_out_packet(&packet)?;
        // The first material document follows the cover and the 目录.
        let actual_front = laid_out
            .outline
            .get(2)
            .map_or(laid_out.pages.len(), |e| e.page);
        if actual_front != front_pages {
            front_pages = actual_front;
            continue;
        }
        place_parts(&mut laid_out, parts, options)?;
        laid_out.outline = outline(parts, &first_pages);
        return Ok((laid_out, first_pages));
    }
    Err(AssembleError::Pdf(
        "the 目录's page count did not settle".into(),
    ))
}

/// 1-based first page of each part (its separator when there is one), given how many
/// pages the cover and 目录 take.
fn first_pages(parts: &[Part], front_pages: usize, options: &Options) -> Vec<Option<usize>> {
    let mut next = front_pages + 1;
    parts
        .iter()
        .map(|part| {
            if part.pages.is_empty() {
                return None;
            }
            let first = next;
            next += part.pages.len() + usize::from(options.separators);
            Some(first)
        })
        .collect()
}

/// Cover, 目录, then per part its separator and one empty document per page (a page of
/// its own, numbered by the engine), which carries the copy mark when asked for.
fn documents(
    cover: &Document,
    parts: &[Part],
    first_pages: &[Option<usize>],
    options: &Options,
) -> Vec<Document> {
    let mut docs = vec![cover.clone(), table_of_contents(parts, first_pages)];
    for part in parts.iter().filter(|p| !p.pages.is_empty()) {
        let name = &part.slot.name.zh;
        if options.separators {
            docs.push(separator(part.slot));
        }
        let marked = options.copy_marks && part.slot.copy;
        for _ in part.pages {
            let blocks = if marked {
                vec![Block::Paragraph(Paragraph {
                    inlines: vec![Inline::Text(document::Span::plain(COPY_MARK))],
                    no_indent: true,
                    ..Paragraph::default()
                })]
            } else {
                Vec::new()
            };
            docs.push(Document {
                title: name.clone(),
                kind: DocumentKind::Checklist,
                blocks,
            });
        }
    }
    docs
}

fn dossier_meta(plan: &DossierPlan, engine: &Engine) -> PacketMeta {
    let author = engine
        .agency()
        .map_or_else(|| plan.company.clone(), |a| a.name.clone());
    PacketMeta {
        title: format!(
            "{} — {} — {} — 装订本",
            plan.company, plan.procedure.zh, plan.license
        ),
        author,
        subject: format!("{} / {}", plan.procedure.zh, plan.procedure.en),
        keywords: vec![plan.license.clone(), plan.uscc.clone()],
        lang: "zh-CN".into(),
        date: plan.date,
        // Pages are the client's: no running header over them, only the page number.
        header: String::new(),
        footer_lang: FooterLang::Zh,
        brand: None,
    }
}

fn parse(markup: &str, title: &str) -> Document {
    // The markup is ours and every data string in it is escaped: it always parses.
    document::parse(markup, title, DocumentKind::Checklist).unwrap_or_else(|e| {
        debug_assert!(false, "dossier markup: {e}");
        Document {
            title: title.into(),
            kind: DocumentKind::Checklist,
            blocks: Vec::new(),
        }
    })
}

fn cover(plan: &DossierPlan, engine: &Engine) -> Document {
    let e = document::escape_text;
    let mut markup = format!(
        "# 申请材料（装订本）\n\n<en>Application materials (bound copy)</en>\n\n\
         申请单位 Company：{}\n\n统一社会信用代码 USCC：{}\n\n许可证 Licence：{}\n\n\
         办理事项 Procedure：{} / {}\n\n受理机关 Authority：{}\n\n日期 Date：{}\n\n",
        e(&plan.company),
        e(&plan.uscc),
        e(&plan.license),
        e(&plan.procedure.zh),
        e(&plan.procedure.en),
        e(&plan.authority.zh),
        plan.date.format("%Y-%m-%d"),
    );
    if let Some(agency) = engine.agency() {
        let line = agency.line(true, true);
        markup.push_str(&format!("代理机构 Agency：{}\n\n", e(&line)));
    }
    parse(&markup, "封面")
}

fn table_of_contents(parts: &[Part], first_pages: &[Option<usize>]) -> Document {
    let e = document::escape_text;
    let mut markup = String::from(
        "# 目录\n\n<en>Contents</en>\n\n| 序号 No. | 材料 Material | 页码 Page |\n|:--|:--|--:|\n",
    );
    for (part, first) in parts.iter().zip(first_pages) {
        let page = match (first, part.status) {
            (Some(n), _) => n.to_string(),
            (None, Status::NotApplicable) => "不适用".into(),
            (None, _) => "缺".into(),
        };
        markup.push_str(&format!(
            "| {:02} | {}<br><en>{}</en> | {} |\n",
            part.slot.number,
            e(&part.slot.name.zh),
            e(&part.slot.name.en),
            page
        ));
    }
    parse(&markup, "目录")
}

fn separator(slot: &Slot) -> Document {
    let e = document::escape_text;
    let markup = format!(
        "# {:02} {}\n\n<en>{}</en>\n",
        slot.number,
        e(&slot.name.zh),
        e(&slot.name.en)
    );
    parse(&markup, &slot.name.zh)
}

/// One bookmark per material present, titled with its Chinese name.
fn outline(parts: &[Part], first_pages: &[Option<usize>]) -> Vec<OutlineEntry> {
    parts
        .iter()
        .zip(first_pages)
        .filter_map(|(part, first)| {
            Some(OutlineEntry {
                title: part.slot.name.zh.clone(),
                page: (*first)? - 1,
            })
        })
        .collect()
}

/// Puts each material page onto its laid-out page, above the stamp; the copy mark (set by
/// the engine at the top of the type area) moves down beside the stamp.
fn place_parts(
    laid_out: &mut LaidOutPacket,
    parts: &[Part],
    options: &Options,
) -> Result<(), AssembleError> {
    let mut index = laid_out.outline.get(2).map_or(0, |e| e.page);
    for part in parts.iter().filter(|p| !p.pages.is_empty()) {
        index += usize::from(options.separators);
        for content in part.pages {
            let page = laid_out
                .pages
                .get_mut(index)
                .ok_or_else(|| AssembleError::Pdf("a material page was not laid out".into()))?;
            place_on_stamped_page(page, content)?;
            index += 1;
        }
    }
    Ok(())
}

fn place_on_stamped_page(page: &mut Page, content: &NormalisedPage) -> Result<(), AssembleError> {
    let stamp = page.furniture.iter().filter_map(|item| match item {
        Item::Text(run) => Some(run),
        _ => None,
    });
    let (band_top, stamp_baseline) = stamp.fold((page.height, Pt(0.0)), |(top, base), run| {
        (top.min(run.bounds().y), base.max(run.origin.y))
    });
    let marks: Vec<Item> = std::mem::take(&mut page.body)
        .into_iter()
        .filter_map(|item| match item {
            Item::Text(mut run) => {
                run.origin.y = stamp_baseline;
                Some(Item::Text(run))
            }
            _ => None,
        })
        .collect();
    let room = Rect {
        x: Pt(0.0),
        y: Pt(0.0),
        width: page.width,
        height: band_top - BAND_GAP,
    };
    page.body.push(drawn(content, room, true)?);
    page.body.extend(marks);
    Ok(())
}

/// The item drawing `content` inside `room`: at its natural size, scaled down to fit when
/// `fit` (keeping its proportions), centred across and at the top.
fn drawn(content: &NormalisedPage, room: Rect, fit: bool) -> Result<Item, AssembleError> {
    let (w, h) = natural_size(content)?;
    let scale = if fit {
        (room.width.0 / w).min(room.height.0 / h).min(1.0)
    } else {
        1.0
    };
    let (w, h) = (w * scale, h * scale);
    let rect = Rect {
        x: room.x + Pt((room.width.0 - w) / 2.0),
        y: room.y,
        width: Pt(w),
        height: Pt(h),
    };
    Ok(match &content.content {
        PageContent::Image {
            image,
            quarter_turns,
        } => Item::Image(ImageItem {
            rect,
            image: Arc::clone(image),
            quarter_turns: *quarter_turns % 4,
        }),
        PageContent::PdfPage { document, index } => Item::Form(FormItem {
            rect,
            page: PdfPageRef {
                document: Arc::clone(document),
                index: *index,
            },
        }),
    })
}

/// A4 portrait, in points.
const A4: (f32, f32) = (595.276, 841.89);

/// The size a page stands upright at: a PDF page's turned CropBox; an image's size as
/// inspected (its pixels at its resolution), or A4 width when that is unknown.
fn natural_size(content: &NormalisedPage) -> Result<(f32, f32), AssembleError> {
    match &content.content {
        PageContent::PdfPage { document, index } => crate::pdf::page_geometry(document, *index)
            .map(|g| g.upright())
            .ok_or_else(|| AssembleError::Pdf(format!("the PDF has no page {}", index + 1))),
        PageContent::Image {
            image,
            quarter_turns,
        } => {
            let (pw, ph) = if quarter_turns % 2 == 1 {
                (image.height as f32, image.width as f32)
            } else {
                (image.width as f32, image.height as f32)
            };
            let (uw, uh) = content.facts.upright_pt;
            // Trust the inspected size when it has the pixels' proportions.
            if uw > 1.0 && uh > 1.0 && ((uw / uh) - (pw / ph)).abs() < 0.02 * (pw / ph) {
                Ok((uw, uh))
            } else {
                Ok((A4.0, A4.0 * ph / pw.max(1.0)))
            }
        }
    }
}

/// A PDF of `pages` alone, each fitted upright to its own size, without stamps: the upload
/// file of a material that has more than ten image pages or comes as a PDF.
pub fn pages_pdf(pages: &[NormalisedPage], title: &str) -> Result<Vec<u8>, AssembleError> {
    // A fixed date keeps the bytes a function of the pages; `pages_pdf_dated` sets one.
    let date = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
    pages_pdf_dated(pages, title, date)
}

/// [`pages_pdf`] with `date` as the file's creation date (the dossier's `--date`).
///
/// Each page has its own size: a PDF page its upright CropBox, an image its size at its
/// scanned resolution (a 300 dpi A4 scan is A4), so the upload system shows what was scanned
/// and nothing is resampled.
pub fn pages_pdf_dated(
    pages: &[NormalisedPage],
    title: &str,
    date: NaiveDate,
) -> Result<Vec<u8>, AssembleError> {
    let pages = pages
        .iter()
        .map(|content| {
            let (w, h) = natural_size(content)?;
            let whole = Rect {
                x: Pt(0.0),
                y: Pt(0.0),
                width: Pt(w),
                height: Pt(h),
            };
            Ok(Page {
                width: Pt(w),
                height: Pt(h),
                type_area: whole,
                body: vec![drawn(content, whole, false)?],
                furniture: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>, AssembleError>>()?;
    let packet = LaidOutPacket {
        pages,
        outline: Vec::new(),
    };
    let meta = PacketMeta {
        title: title.into(),
        author: String::new(),
        subject: String::new(),
        keywords: Vec::new(),
        lang: "zh-CN".into(),
        date,
        header: String::new(),
        footer_lang: FooterLang::Zh,
        brand: None,
    };
    Ok(crate::pdf::write(
        &packet,
        &meta,
        crate::fonts::FontBook::builtin(),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dossier::inspect::{Colour, PageFacts};
    use crate::dossier::rules::UploadRules;

    /// The frame header of a 100 × 141 gray JPEG (A4 proportions): all `Image::decode`
    /// reads (size and colour); laying out never decodes pixels.
    fn jpeg_page(quarter_turns: u8) -> NormalisedPage {
        let mut bytes = vec![
            0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 141, 0x00, 100, 0x01,
        ];
        bytes.extend_from_slice(&[0x01, 0x11, 0x00, 0xFF, 0xD9]);
        let image = crate::image::Image::decode(&bytes).expect("a JPEG header");
        NormalisedPage {
            facts: PageFacts {
                pixels: Some((100, 141)),
                // An A4 page: as a 300 dpi scan would stand.
                upright_pt: (595.3, 839.4),
                dpi_on_a4: Some(12.0),
                colour: Colour::Gray,
                orientation: 1,
                blank: false,
            },
            content: PageContent::Image {
                image: Arc::new(image),
                quarter_turns,
            },
        }
    }

    fn slot(number: usize, zh: &str, copy: bool) -> Slot {
        Slot {
            number,
            id: format!("m{number}"),
            name: crate::catalog::Text {
                zh: zh.into(),
                en: "Material".into(),
            },
            aliases: Vec::new(),
            colour_required: false,
            copy,
            letter: false,
        }
    }

    fn plan(slots: Vec<Slot>) -> DossierPlan {
        DossierPlan {
            company: "北京云声科技有限公司".into(),
            uscc: "91110108MA01C2XM4Y".into(),
            license: "B2-20220318".into(),
            procedure: crate::catalog::Text {
                zh: "续期".into(),
                en: "Renewal".into(),
            },
            authority: crate::catalog::Text {
                zh: "工业和信息化部".into(),
                en: "MIIT".into(),
            },
            date: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            slots,
            rules: UploadRules::default(),
            file_stem: "B2-20220318-renewal".into(),
        }
    }

    #[test]
    fn first_pages_skip_missing_parts_and_count_separators() {
        let slots = [
            slot(1, "甲", false),
            slot(2, "乙", false),
            slot(3, "丙", false),
        ];
        let pages = [jpeg_page(0), jpeg_page(0)];
        let parts = [
            Part {
                slot: &slots[0],
                status: Status::Ready,
                pages: &pages,
            },
            Part {
                slot: &slots[1],
                status: Status::Missing,
                pages: &[],
            },
            Part {
                slot: &slots[2],
                status: Status::Ready,
                pages: &pages[..1],
            },
        ];
        let plain = Options::default();
        assert_eq!(first_pages(&parts, 2, &plain), [Some(3), None, Some(5)]);
        let separated = Options {
            separators: true,
            copy_marks: false,
        };
        assert_eq!(first_pages(&parts, 3, &separated), [Some(4), None, Some(7)]);
    }

    #[test]
    fn every_page_has_one_stamp_and_no_page_is_drawn_under_it() {
        let engine = Engine::new(None).unwrap();
        // Enough materials that the 目录 itself runs onto a second page.
        let slots: Vec<Slot> = (1..=60)
            .map(|n| slot(n, &format!("材料{n}"), n.is_multiple_of(2)))
            .collect();
        let plan = plan(slots);
        let pages = [jpeg_page(0), jpeg_page(1)];
        let parts: Vec<Part> = plan
            .slots
            .iter()
            .map(|slot| Part {
                slot,
                status: Status::Ready,
                pages: &pages[..1 + slot.number % 2],
            })
            .collect();
        let options = Options {
            separators: true,
            copy_marks: true,
        };
        let meta = dossier_meta(&plan, &engine);
        let (laid_out, first) = lay_out_dossier(&plan, &parts, &engine, &options, &meta).unwrap();
        let total = laid_out.pages.len();
        let front = first[0].unwrap() - 1;
        assert!(front >= 3, "cover and a 目录 of two pages or more: {front}");
        for (i, page) in laid_out.pages.iter().enumerate() {
            let stamps: Vec<_> = page
                .runs()
                .filter(|r| r.text.contains(&format!("第 {} 页 共 {total} 页", i + 1)))
                .collect();
            assert_eq!(stamps.len(), 1, "page {}", i + 1);
            let band_top = stamps[0].bounds().y;
            for item in &page.body {
                if let Item::Image(image) = item {
                    assert!(
                        image.rect.bottom() <= band_top,
                        "page {} drawn over its stamp",
                        i + 1
                    );
                }
            }
        }
        // Bookmarks are the 目录's numbers, and each points at the material's separator.
        for (entry, (part, page)) in laid_out.outline.iter().zip(parts.iter().zip(&first)) {
            assert_eq!(entry.title, part.slot.name.zh);
            assert_eq!(Some(entry.page + 1), *page);
        }
        assert_eq!(laid_out.outline.len(), parts.len());
    }
}
