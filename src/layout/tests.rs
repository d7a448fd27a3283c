//! Invariants of whole packets laid out with the real embedded fonts.

use chrono::NaiveDate;

use super::*;
use crate::document::{
    Align, Block, Cell, CheckState, Column, Document, FooterLang, Inline, List, PacketMeta,
    Paragraph, Span, Table,
};
use crate::units::{Pt, Rect};

fn meta() -> PacketMeta {
    PacketMeta {
        title: "测试".into(),
        author: "北京云声科技有限公司".into(),
        subject: String::new(),
        keywords: Vec::new(),
        lang: "zh-CN".into(),
        date: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        header: "北京云声科技有限公司 Beijing Yunsheng Technology Co., Ltd.".into(),
        footer_lang: FooterLang::Bilingual,
        brand: None,
    }
}

pub(super) fn packet(documents: Vec<Document>) -> Packet {
    Packet {
        meta: meta(),
        documents,
    }
}

pub(super) fn text(s: &str) -> Inline {
    Inline::Text(Span::plain(s))
}

pub(super) fn para(s: &str) -> Block {
    Block::Paragraph(Paragraph {
        inlines: vec![text(s)],
        ..Paragraph::default()
    })
}

fn heading(level: u8, s: &str) -> Block {
    Block::Heading {
        level,
        inlines: vec![text(s)],
    }
}

const CLAUSE: &str = "本公司郑重承诺：所提交的《增值电信业务经营许可证》申请材料真实、准确、完整，\
    注册资本10,000,000元已于2026年11月25日前全部实缴；如有虚假，愿承担“由此产生的一切法律责任”。\
    联系邮箱 legal@yunsheng.example，网址 https://www.yunsheng.example/about ——特此说明……";

pub(super) fn letter(paragraphs: usize) -> Document {
    let mut blocks = vec![
        heading(1, "承诺书"),
        Block::Paragraph(Paragraph {
            inlines: vec![text("工业和信息化部：")],
            no_indent: true,
            ..Paragraph::default()
        }),
    ];
    blocks.extend((0..paragraphs).map(|_| para(CLAUSE)));
    blocks.push(Block::Signature(vec![
        Paragraph {
            inlines: vec![text("承诺单位（盖章）：北京云声科技有限公司")],
            ..Paragraph::default()
        },
        Paragraph {
            inlines: vec![text("法定代表人（签字）：")],
            ..Paragraph::default()
        },
        Paragraph {
            inlines: vec![text("2026年12月1日")],
            ..Paragraph::default()
        },
    ]));
    Document {
        title: "承诺书".into(),
        kind: DocumentKind::Letter,
        blocks,
    }
}

fn cell(s: &str) -> Cell {
    Cell {
        inlines: vec![text(s)],
    }
}

fn checklist(rows: usize) -> Document {
    let columns = vec![
        Column {
            align: Align::Center,
        },
        Column { align: Align::Left },
        Column { align: Align::Left },
        Column {
            align: Align::Center,
        },
    ];
    let header = vec![cell("序号"), cell("材料名称"), cell("说明"), cell("状态")];
    let rows = (0..rows)
        .map(|i| {
            vec![
                cell(&format!("{}", i + 1)),
                Cell {
                    inlines: vec![
                        text("营业执照副本复印件（加盖公章）"),
                        Inline::LineBreak,
                        Inline::Text(Span {
                            text: "Copy of business licence (stamped)".into(),
                            secondary: true,
                            bold: false,
                        }),
                    ],
                },
                cell("须在有效期内，并与申请表所填信息一致；提交前核对统一社会信用代码。"),
                Cell {
                    inlines: vec![Inline::CheckBox(CheckState::Ready)],
                },
            ]
        })
        .collect();
    let table = Table {
        columns,
        header,
        rows,
    };
    Document {
        title: "材料清单".into(),
        kind: DocumentKind::Checklist,
        blocks: vec![
            heading(1, "申请材料清单"),
            heading(2, "一、基本材料"),
            Block::Table(table),
        ],
    }
}

pub(super) fn inside(inner: Rect, outer: Rect, tolerance: f32) -> bool {
    inner.x.0 >= outer.x.0 - tolerance
        && inner.y.0 >= outer.y.0 - tolerance
        && inner.right().0 <= outer.right().0 + tolerance
        && inner.bottom().0 <= outer.bottom().0 + tolerance
}

pub(super) fn body_runs(page: &Page) -> impl Iterator<Item = &GlyphRun> {
    page.body.iter().filter_map(|i| match i {
        Item::Text(r) => Some(r),
        _ => None,
    })
}

/// Body text inside the type area, furniture at least 8 mm inside the paper.
pub(super) fn assert_geometry(laid: &LaidOutPacket) {
    let margin = Pt::mm(8.0);
    for (n, page) in laid.pages.iter().enumerate() {
        for run in body_runs(page) {
            assert!(
                inside(run.bounds(), page.type_area, 0.01),
                "page {n}: {run:?} outside"
            );
        }
        let safe = Rect {
            x: margin,
            y: margin,
            width: page.width - margin * 2.0,
            height: page.height - margin * 2.0,
        };
        for item in &page.furniture {
            let bounds = match item {
                Item::Text(r) => r.bounds(),
                Item::Line(l) => Rect {
                    x: l.from.x,
                    y: l.from.y,
                    width: l.to.x - l.from.x,
                    height: l.to.y - l.from.y,
                },
                _ => continue,
            };
            assert!(inside(bounds, safe, 0.0), "page {n}: furniture {item:?}");
        }
    }
}

/// Lines of a page: runs grouped by baseline, each sorted left to right.
fn lines(page: &Page) -> Vec<Vec<&GlyphRun>> {
    let mut runs: Vec<&GlyphRun> = body_runs(page).collect();
    runs.sort_by(|a, b| {
        a.origin
            .y
            .0
            .total_cmp(&b.origin.y.0)
            .then(a.origin.x.0.total_cmp(&b.origin.x.0))
    });
    let mut out: Vec<Vec<&GlyphRun>> = Vec::new();
    for run in runs {
        match out.last_mut() {
            Some(line) if (line[0].origin.y.0 - run.origin.y.0).abs() < 0.01 => line.push(run),
            _ => out.push(vec![run]),
        }
    }
    out
}

#[test]
fn letter_stays_in_the_type_area_and_obeys_no_start() {
    let laid = layout(&packet(vec![letter(12)]), FontBook::builtin()).unwrap();
    assert!(laid.pages.len() >= 2, "{} pages", laid.pages.len());
    assert_geometry(&laid);
    for page in &laid.pages {
        for line in lines(page) {
            let first = line[0].text.chars().next().unwrap();
            assert!(
                !classes::no_start(first),
                "line starts with {first}: {}",
                line[0].text
            );
        }
    }
    let footer: Vec<&str> = laid.pages[0]
        .furniture
        .iter()
        .filter_map(|i| match i {
            Item::Text(r) => Some(r.text.as_str()),
            _ => None,
        })
        .collect();
    let total = laid.pages.len();
    assert!(
        footer
            .concat()
            .contains(&format!("第 1 页 共 {total} 页 / Page 1 of {total}")),
        "{footer:?}"
    );
}

#[test]
fn runs_give_back_each_paragraph_without_spaces_added() {
    let laid = layout(&packet(vec![letter(1)]), FontBook::builtin()).unwrap();
    let all: String = laid
        .pages
        .iter()
        .flat_map(body_runs)
        .map(|r| r.text.as_str())
        .collect();
    let no_spaces = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    assert!(no_spaces(&all).contains(&no_spaces(CLAUSE)));
    assert!(
        all.chars().filter(|c| *c == ' ').count()
            <= CLAUSE.chars().filter(|c| *c == ' ').count() + 2
    );
}

#[test]
fn every_document_starts_a_page_with_an_outline_entry() {
    let laid = layout(&packet(vec![checklist(3), letter(2)]), FontBook::builtin()).unwrap();
    assert_eq!(laid.outline.len(), 2);
    assert_eq!(
        laid.outline[0],
        OutlineEntry {
            title: "材料清单".into(),
            page: 0
        }
    );
    let letter_page = laid.outline[1].page;
    assert!(letter_page >= 1);
    let first_run = lines(&laid.pages[letter_page])[0][0].text.clone();
    assert_eq!(first_run, "承诺书");
    // The letter's pages have the GB/T 9704 type area.
    assert!((laid.pages[letter_page].type_area.x.to_mm() - 28.0).abs() < 0.01);
}

#[test]
fn long_table_repeats_its_header_on_every_page() {
    let laid = layout(&packet(vec![checklist(80)]), FontBook::builtin()).unwrap();
    assert!(laid.pages.len() >= 3, "{} pages", laid.pages.len());
    assert_geometry(&laid);
    for page in &laid.pages[1..] {
        let first_line: Vec<&str> = lines(page)[0].iter().map(|r| r.text.as_str()).collect();
        assert_eq!(first_line, ["序号", "材料名称", "说明", "状态"]);
    }
    let rows: usize = laid
        .pages
        .iter()
        .flat_map(body_runs)
        .filter(|r| r.text.starts_with("营业执照副本"))
        .count();
    assert_eq!(rows, 80);
}

#[test]
fn checkbox_is_vector_and_the_table_fills_the_width() {
    let laid = layout(&packet(vec![checklist(2)]), FontBook::builtin()).unwrap();
    let page = &laid.pages[0];
    let ticks = page
        .body
        .iter()
        .filter(|i| matches!(i, Item::Path(p) if p.points.len() == 3))
        .count();
    assert_eq!(ticks, 2);
    let right = page
        .body
        .iter()
        .filter_map(|i| match i {
            Item::Line(l) => Some(l.to.x.0),
            _ => None,
        })
        .fold(0.0, f32::max);
    assert!((right - page.type_area.right().0).abs() < 0.05);
}

#[test]
fn signature_moves_whole_to_the_next_page() {
    for paragraphs in 1..12 {
        let laid = layout(&packet(vec![letter(paragraphs)]), FontBook::builtin()).unwrap();
        let pages_with = |needle: &str| {
            let page_text = |p: &Page| body_runs(p).map(|r| r.text.as_str()).collect::<String>();
            laid.pages
                .iter()
                .position(|p| page_text(p).contains(needle))
                .unwrap()
        };
        assert_eq!(pages_with("承诺单位"), pages_with("2026年12月1日"));
        assert_geometry(&laid);
    }
}

#[test]
fn heading_is_never_alone_at_the_bottom_of_a_page() {
    let mut blocks = Vec::new();
    for i in 0..40 {
        blocks.push(heading(2, &format!("第{i}节")));
        blocks.push(para(CLAUSE));
    }
    let doc = Document {
        title: "t".into(),
        kind: DocumentKind::Checklist,
        blocks,
    };
    let laid = layout(&packet(vec![doc]), FontBook::builtin()).unwrap();
    for page in &laid.pages {
        let last = lines(page).pop().unwrap();
        assert!(
            !last[0].text.starts_with('第'),
            "page ends with heading {}",
            last[0].text
        );
    }
}

#[test]
fn uncovered_character_is_an_error() {
    let doc = Document {
        title: "t".into(),
        kind: DocumentKind::Letter,
        blocks: vec![para("公司名称😀有限")],
    };
    let err = layout(&packet(vec![doc]), FontBook::builtin()).unwrap_err();
    assert!(
        matches!(err, LayoutError::UncoveredChar { ch: '😀', ref context } if context == "公司名称😀有限")
    );
}

#[test]
fn list_items_hang_and_unbreakable_word_stays_inside() {
    let long = "X".repeat(300);
    let list = List {
        ordered: Some(1),
        items: vec![vec![para(CLAUSE)], vec![para(&long)]],
    };
    let doc = Document {
        title: "t".into(),
        kind: DocumentKind::Letter,
        blocks: vec![Block::List(list), Block::Rule, Block::PageBreak, para("完")],
    };
    let laid = layout(&packet(vec![doc]), FontBook::builtin()).unwrap();
    assert_geometry(&laid);
    let runs: Vec<&GlyphRun> = laid.pages[0].runs().collect();
    let marker = runs.iter().find(|r| r.text == "1.").unwrap();
    let body = runs.iter().find(|r| r.text.starts_with("本公司")).unwrap();
    assert!(
        (marker.origin.y.0 - body.origin.y.0).abs() < 0.01 && marker.origin.x.0 < body.origin.x.0
    );
    assert_eq!(
        laid.pages.last().map(|p| lines(p)[0][0].text.clone()),
        Some("完".to_string())
    );
}

#[test]
fn two_hundred_pages_lay_out_quickly() {
    let doc = letter(760);
    let start = std::time::Instant::now();
    // Flowing, as the letter style did before it fitted letters to a page (`fit` lays a
    // letter this long out twice; its own test times that).
    let flowing = |kind| Style {
        fit: Fit::Flow,
        ..Style::for_kind(kind)
    };
    let laid = layout_with(&packet(vec![doc]), FontBook::builtin(), &flowing).unwrap();
    let elapsed = start.elapsed();
    assert!(laid.pages.len() >= 200, "{} pages", laid.pages.len());
    let limit = if cfg!(debug_assertions) { 30.0 } else { 1.0 };
    assert!(
        elapsed.as_secs_f64() < limit,
        "{elapsed:?} for {} pages",
        laid.pages.len()
    );
}

#[test]
fn row_taller_than_a_page_is_split_between_lines() {
    let mut doc = checklist(1);
    let Some(Block::Table(table)) = doc.blocks.last_mut() else {
        panic!()
    };
    table.rows[0][2] = cell(&CLAUSE.repeat(40));
    let laid = layout(&packet(vec![doc]), FontBook::builtin()).unwrap();
    assert!(laid.pages.len() >= 3, "{} pages", laid.pages.len());
    assert_geometry(&laid);
    for page in &laid.pages[1..] {
        assert_eq!(lines(page)[0][0].text, "序号");
    }
    let no_spaces = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let column_x = body_runs(&laid.pages[0])
        .find(|r| r.text.starts_with("本公司"))
        .unwrap()
        .origin
        .x
        .0;
    let all: String = laid
        .pages
        .iter()
        .flat_map(body_runs)
        .filter(|r| r.origin.x.0 >= column_x - 0.01 && r.text != "说明" && r.text != "状态")
        .map(|r| r.text.as_str())
        .collect();
    assert_eq!(no_spaces(&all), no_spaces(&CLAUSE.repeat(40)));
}

#[test]
fn bullet_list_gets_a_bullet_marker() {
    let list = List {
        ordered: None,
        items: vec![vec![para("第一项")], vec![para("第二项")]],
    };
    let doc = Document {
        title: "t".into(),
        kind: DocumentKind::Checklist,
        blocks: vec![Block::List(list)],
    };
    let laid = layout(&packet(vec![doc]), FontBook::builtin()).unwrap();
    let bullets = laid.pages[0].runs().filter(|r| r.text == "•").count();
    assert_eq!(bullets, 2);
}

#[test]
fn agency_logo_sits_in_the_top_margin_of_every_page_and_its_line_in_the_bottom_one() {
    use crate::document::Brand;
    let logo = crate::image::Image {
        width: 240,
        height: 64,
        color: crate::image::ColorSpace::Rgb,
        encoding: crate::image::Encoding::Raw,
        data: vec![0; 240 * 64 * 3].into(),
        alpha: None,
        digest: "TEST".into(),
    };
    let mut p = packet(vec![checklist(80), letter(40)]);
    p.meta.brand = Some(Brand {
        line: "合规通 · 400-800-1234".into(),
        logo: Some(std::sync::Arc::new(logo)),
        accent: Some(crate::units::Rgb(0xC0, 0x1F, 0x2E)),
    });
    let laid = layout(&p, FontBook::builtin()).unwrap();
    assert!(laid.pages.len() > 2);
    for page in &laid.pages {
        let images: Vec<_> = page
            .furniture
            .iter()
            .filter_map(|i| match i {
                Item::Image(img) => Some(img.rect),
                _ => None,
            })
            .collect();
        assert_eq!(images.len(), 1);
        let r = images[0];
        assert!(r.y.0 > 0.0 && r.bottom() < page.type_area.y, "{r:?}");
        assert!(r.right() <= page.type_area.right() + Pt(0.01));
        assert!(((r.width.0 / r.height.0) - 240.0 / 64.0).abs() < 1e-3);
        let brand_line = page.runs().find(|run| run.text.contains("合规通")).unwrap();
        assert!(brand_line.origin.y > page.type_area.bottom());
        assert!(brand_line.origin.y - brand_line.ascent > page.type_area.bottom());
        assert!(brand_line.origin.y + brand_line.descent < page.height - Pt::mm(8.0));
    }
}

#[test]
fn a_list_never_leaves_its_first_or_last_item_alone_on_a_page() {
    let page_of = |laid: &LaidOutPacket, needle: &str| {
        laid.pages
            .iter()
            .position(|p| p.runs().any(|r| r.text.contains(needle)))
            .unwrap_or_else(|| panic!("{needle} not laid out"))
    };
    let items = ["甲项函件", "乙项函件", "丙项函件", "丁项函件"];
    let mut seen_a_break_inside = false;
    // Filler of every length up to two pages, so that a page break falls before, inside and
    // after the list.
    for filler in 0..50 {
        let mut blocks: Vec<Block> = (0..filler).map(|_| para("填充行")).collect();
        blocks.push(Block::List(List {
            ordered: Some(1),
            items: items.iter().map(|s| vec![para(s)]).collect(),
        }));
        let doc = Document {
            title: "t".into(),
            kind: DocumentKind::Checklist,
            blocks,
        };
        let laid = layout(&packet(vec![doc]), FontBook::builtin()).unwrap();
        let pages: Vec<usize> = items.iter().map(|s| page_of(&laid, s)).collect();
        assert_eq!(
            pages[0], pages[1],
            "filler {filler}: first item alone {pages:?}"
        );
        assert_eq!(
            pages[2], pages[3],
            "filler {filler}: last item alone {pages:?}"
        );
        let intro = laid
            .pages
            .iter()
            .rposition(|p| p.runs().any(|r| r.text == "填充行"));
        if let Some(intro) = intro {
            assert_eq!(
                intro, pages[0],
                "filler {filler}: the list left its introduction"
            );
        }
        seen_a_break_inside |= pages[1] != pages[2];
    }
    assert!(seen_a_break_inside, "no case broke the list in the middle");
}
