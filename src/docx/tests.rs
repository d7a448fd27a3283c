//! Packets built in code, rendered to DOCX and read back from the archive.

use std::io::Read;

use chrono::NaiveDate;

use super::*;
use crate::document::{
    Cell, CheckState, Column, DocumentKind, FooterLang, Inline, List, PacketMeta, Paragraph, Span,
    Table,
};

pub(crate) fn meta(title: &str) -> PacketMeta {
    PacketMeta {
        title: title.into(),
        author: "北京云声科技有限公司".into(),
        subject: "续期 / Renewal".into(),
        keywords: vec!["B2-20220318".into()],
        lang: "zh-CN".into(),
        date: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        header: "北京云声科技有限公司 · B2-20220318 · 续期".into(),
        footer_lang: FooterLang::Bilingual,
        brand: None,
    }
}

fn text(s: &str) -> Vec<Inline> {
    vec![Inline::Text(Span::plain(s))]
}

fn para(s: &str) -> Block {
    Block::Paragraph(Paragraph {
        inlines: text(s),
        ..Paragraph::default()
    })
}

fn packet() -> Packet {
    let checklist = Document {
        title: "材料清单".into(),
        kind: DocumentKind::Checklist,
        blocks: vec![
            Block::Heading {
                level: 1,
                inlines: text("材料清单"),
            },
            Block::Table(Table {
                columns: vec![
                    Column {
                        align: crate::document::Align::Left
                    };
                    2
                ],
                header: vec![
                    Cell {
                        inlines: text("材料"),
                    },
                    Cell {
                        inlines: text("状态"),
                    },
                ],
                rows: vec![vec![
                    Cell {
                        inlines: text("营业执照"),
                    },
                    Cell {
                        inlines: vec![Inline::CheckBox(CheckState::Ready)],
                    },
                ]],
            }),
        ],
    };
    let letter = Document {
        title: "承诺书".into(),
        kind: DocumentKind::Letter,
        blocks: vec![
            Block::Heading {
                level: 1,
                inlines: text("依法经营电信业务承诺书"),
            },
            para("我公司郑重承诺："),
            Block::List(List {
                ordered: Some(1),
                items: vec![vec![para("遵守法律。")], vec![para("接受监督。")]],
            }),
            Block::Signature(vec![Paragraph {
                inlines: text("承诺单位（盖章）：北京云声科技有限公司"),
                ..Paragraph::default()
            }]),
        ],
    };
    Packet {
        meta: meta("北京云声科技有限公司 — 续期"),
        documents: vec![checklist, letter],
    }
}

pub(crate) fn part(docx: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut out = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut out).unwrap();
    out
}

#[test]
fn packet_becomes_sections_styles_table_list_and_fields() {
    let bytes = write(&packet(), &Styles::default()).unwrap();
    let doc = part(&bytes, "word/document.xml");
    // Two documents, two sections: the checklist's ends with its own page settings.
    assert_eq!(doc.matches("<w:sectPr").count(), 2, "{doc}");
    assert!(doc.contains("<w:pStyle w:val=\"Heading1\""));
    assert!(doc.contains("<w:pStyle w:val=\"LetterTitle\""));
    assert!(doc.contains("<w:tblHeader />"));
    assert!(doc.contains("☑"));
    assert_eq!(doc.matches("<w:numId w:val=\"1\"").count(), 2);
    assert!(doc.find("依法经营电信业务承诺书") > doc.find("营业执照"));
    let footer = part(&bytes, "word/footer1.xml");
    assert!(
        footer.contains(">PAGE<") || footer.contains("PAGE"),
        "{footer}"
    );
    assert!(footer.contains("NUMPAGES"), "{footer}");
    assert!(footer.contains("第 "), "{footer}");
    let core = part(&bytes, "docProps/core.xml");
    assert!(core.contains("<dc:creator>北京云声科技有限公司</dc:creator>"));
    let styles = part(&bytes, "word/styles.xml");
    assert!(styles.contains("w:eastAsia=\"zh-CN\""), "{styles}");
    // Two characters of 小四 (12 pt = 240 twips): the one-page letter preset's minimum,
    // the size Word gets (see `word_sizes`).
    assert!(
        styles.contains("w:firstLine=\"480\" w:firstLineChars=\"200\""),
        "{styles}"
    );
}

#[test]
fn same_packet_same_bytes_whatever_the_thread_built_before() {
    let first = write(&packet(), &Styles::default()).unwrap();
    let again = std::thread::spawn(|| {
        // A thread that has built another document first (docx-rs counts ids per thread).
        write(&packet(), &Styles::default()).unwrap();
        write(&packet(), &Styles::default()).unwrap()
    })
    .join()
    .unwrap();
    assert_eq!(first, again);
}

#[test]
fn lists_deeper_than_word_allows_are_refused_with_their_text() {
    let mut block = para("最深的一项");
    for _ in 0..10 {
        block = Block::List(List {
            ordered: None,
            items: vec![vec![block]],
        });
    }
    let document = Document {
        title: "深".into(),
        kind: DocumentKind::Letter,
        blocks: vec![block],
    };
    let err = check(&document).unwrap_err();
    assert!(err.what.contains("10 levels"), "{err}");
    assert_eq!(err.near, "最深的一项");
}
