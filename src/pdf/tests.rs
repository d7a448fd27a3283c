//! Tests of the whole writer on packets built by hand (no layout, no templates): structure,
//! determinism, metadata read back with lopdf, size, and — when poppler is installed — text
//! extraction and font embedding as a PDF reader sees them.

use std::process::Command;
use std::time::Instant;

use chrono::NaiveDate;
use lopdf::{Document, Object};

use super::*;
use crate::document::{FooterLang, PacketMeta};
use crate::fonts::Face;
use crate::layout::{GlyphRun, Item, LineSegment, OutlineEntry, RectShape, Stroke};
use crate::units::{Point, Pt, Rect, Rgb};

const A4_W: f32 = 595.28;
const A4_H: f32 = 841.89;
const MARGIN: f32 = 72.0;
const SIZE: f32 = 10.5;
const CHARS_PER_LINE: usize = 40;

fn meta() -> PacketMeta {
    PacketMeta {
        title: "增值电信业务经营许可证续期材料清单".to_string(),
        author: "北京云声科技有限公司".to_string(),
        subject: "B2-20210001 renewal".to_string(),
        keywords: vec!["B24".to_string(), "续期".to_string()],
        lang: "zh-CN".to_string(),
        date: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        header: "北京云声科技有限公司".to_string(),
        footer_lang: FooterLang::Bilingual,
        brand: None,
    }
}

fn face(id: FaceId) -> &'static Face {
    FontBook::builtin().face(id)
}

/// A run whose width is measured with the face, as layout would.
fn run(face_id: FaceId, x: f32, y: f32, text: &str) -> Item {
    let f = face(face_id);
    let advance: f32 = text.chars().map(|c| f.advance(c).unwrap_or(0.0)).sum();
    Item::Text(GlyphRun {
        origin: Point { x: Pt(x), y: Pt(y) },
        face: face_id,
        size: Pt(SIZE),
        color: Rgb::BLACK,
        char_spacing: Pt(0.0),
        width: Pt(advance * SIZE),
        ascent: Pt(f.ascent() * SIZE),
        descent: Pt(f.descent() * SIZE),
        text: text.to_string(),
        actual_text: None,
    })
}

/// `count` distinct ideographs the regular face covers, starting at `from`.
fn ideographs(from: u32, count: usize) -> Vec<char> {
    (from..0x9FA5)
        .filter_map(char::from_u32)
        .filter(|c| face(FaceId(0)).covers(*c) && face(FaceId(1)).covers(*c))
        .take(count)
        .collect()
}

fn page(body: Vec<Item>, number: usize) -> Page {
    let type_area = Rect {
        x: Pt(MARGIN),
        y: Pt(MARGIN),
        width: Pt(A4_W - 2.0 * MARGIN),
        height: Pt(A4_H - 2.0 * MARGIN),
    };
    let footer = format!("第 {number} 页 / Page {number}");
    let furniture = vec![run(FaceId(0), MARGIN, A4_H - 40.0, &footer)];
    Page {
        width: Pt(A4_W),
        height: Pt(A4_H),
        type_area,
        body,
        furniture,
    }
}

/// Distinct ideographs in the sample text: 1,500 characters of the domain notes and
/// templates hold about 310 different ones.
const ALPHABET: usize = 350;

/// About `total` characters of body text over `pages` pages, a bold heading per page, a rule
/// and a check box: the shape of a real checklist.
fn packet(pages: usize, total: usize, alphabet_start: u32) -> LaidOutPacket {
    let alphabet = ideographs(alphabet_start, ALPHABET);
    let text: String = (0..total)
        .map(|i| alphabet[(i * 11) % alphabet.len()])
        .collect();
    let chars: Vec<char> = text.chars().collect();
    let lines: Vec<String> = chars
        .chunks(CHARS_PER_LINE)
        .map(|c| c.iter().collect())
        .collect();
    let per_page = lines.len().div_ceil(pages);
    let stroke = Stroke {
        width: Pt(0.5),
        color: Rgb::DARK_GREY,
    };
    let out: Vec<Page> = lines
        .chunks(per_page)
        .enumerate()
        .map(|(n, chunk)| {
            let mut body = vec![run(
                FaceId(1),
                MARGIN,
                MARGIN + 14.0,
                &format!("材料清单 Checklist {}", n + 1),
            )];
            let rule_y = Pt(MARGIN + 20.0);
            body.push(Item::Line(LineSegment {
                from: Point {
                    x: Pt(MARGIN),
                    y: rule_y,
                },
                to: Point {
                    x: Pt(A4_W - MARGIN),
                    y: rule_y,
                },
                stroke,
            }));
            let square = Rect {
                x: Pt(MARGIN),
                y: Pt(MARGIN + 24.0),
                width: Pt(8.0),
                height: Pt(8.0),
            };
            body.push(Item::Rect(RectShape {
                rect: square,
                stroke: Some(stroke),
                fill: None,
            }));
            for (i, line) in chunk.iter().enumerate() {
                body.push(run(
                    FaceId(0),
                    MARGIN,
                    MARGIN + 46.0 + 16.0 * i as f32,
                    line,
                ));
            }
            page(body, n + 1)
        })
        .collect();
    let outline = vec![
        OutlineEntry {
            title: "材料清单 / Checklist".to_string(),
            page: 0,
        },
        OutlineEntry {
            title: "承诺书 / Commitment letter".to_string(),
            page: pages - 1,
        },
    ];
    LaidOutPacket {
        pages: out,
        outline,
    }
}

fn small_packet() -> LaidOutPacket {
    let body = vec![run(
        FaceId(0),
        MARGIN,
        100.0,
        "北京云声科技有限公司承诺书 Letter of Commitment",
    )];
    LaidOutPacket {
        pages: vec![page(body, 1)],
        outline: vec![OutlineEntry {
            title: "承诺书".to_string(),
            page: 0,
        }],
    }
}

fn written(packet: &LaidOutPacket) -> Vec<u8> {
    write(packet, &meta(), FontBook::builtin()).expect("the packet is written")
}

/// The file rewritten with every object in plain text (no object streams, no compression),
/// so dictionary keys can be searched for.
fn plain(bytes: &[u8]) -> Vec<u8> {
    let mut doc = Document::load_mem(bytes).expect("lopdf reads it");
    doc.decompress();
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("saved");
    out
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

fn decode_text_string(obj: &Object) -> String {
    let Object::String(bytes, _) = obj else {
        panic!("not a string: {obj:?}")
    };
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => {
            let units: Vec<u16> = utf16
                .chunks(2)
                .map(|p| u16::from_be_bytes([p[0], p[1]]))
                .collect();
            String::from_utf16(&units).expect("valid UTF-16")
        }
        None => String::from_utf8(bytes.clone()).expect("ASCII"),
    }
}

#[test]
fn output_is_a_pdf_with_language_outline_and_subset_fonts() {
    let written = written(&small_packet());
    assert!(written.starts_with(b"%PDF-1.7"));
    assert!(
        contains(&written, "/ObjStm") && contains(&written, "/XRef"),
        "objects are not in object streams with a cross-reference stream"
    );
    let bytes = plain(&written);
    for marker in [
        "/Lang",
        "/Outlines",
        "/UseOutlines",
        "/ToUnicode",
        "/FontFile3",
        "/CIDFontType0C",
        "/Identity-H",
    ] {
        assert!(contains(&bytes, marker), "{marker} missing");
    }
    let tag = regex::bytes::Regex::new(r"/BaseFont\s*/[A-Z]{6}\+NotoSerifCJKsc").unwrap();
    assert!(tag.is_match(&bytes), "no subset tag on the font name");
    assert!(
        !contains(&bytes, "(UseOutlines)"),
        "PageMode must be a name"
    );
}

#[test]
fn same_packet_gives_identical_bytes() {
    assert_eq!(written(&small_packet()), written(&small_packet()));
}

#[test]
fn bytes_do_not_depend_on_what_the_process_did_before() {
    let first = written(&small_packet());
    let _ = written(&packet(2, 300, 0x5000));
    // Advance printpdf's own process-wide counter the way any other printpdf user would.
    for _ in 0..5 {
        let _ = printpdf::FontId::new();
    }
    assert_eq!(first, written(&small_packet()));
    let on_thread = std::thread::spawn(|| written(&small_packet()))
        .join()
        .unwrap();
    assert_eq!(first, on_thread);
}

#[test]
fn different_content_gets_a_different_id() {
    let id = |bytes: &[u8]| {
        Document::load_mem(bytes)
            .unwrap()
            .trailer
            .get(b"ID")
            .unwrap()
            .clone()
    };
    let mut other_meta = meta();
    other_meta.title = "另一份".to_string();
    let other = write(&small_packet(), &other_meta, FontBook::builtin()).unwrap();
    assert_ne!(id(&written(&small_packet())), id(&other));
}

#[test]
fn metadata_and_outline_read_back() {
    let doc = Document::load_mem(&written(&packet(3, 1500, 0x4E00))).expect("lopdf reads it");
    assert_eq!(doc.get_pages().len(), 3);
    let info_id = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info = doc.get_dictionary(info_id).unwrap();
    assert_eq!(
        decode_text_string(info.get(b"Title").unwrap()),
        meta().title
    );
    assert_eq!(
        decode_text_string(info.get(b"Keywords").unwrap()),
        "B24, 续期"
    );
    assert_eq!(
        decode_text_string(info.get(b"CreationDate").unwrap()),
        "D:20261120000000Z"
    );
    assert!(decode_text_string(info.get(b"Creator").unwrap()).starts_with("licpack "));
    let catalog = doc.catalog().unwrap();
    assert_eq!(decode_text_string(catalog.get(b"Lang").unwrap()), "zh-CN");
    assert_eq!(
        catalog.get(b"PageMode").unwrap(),
        &Object::Name(b"UseOutlines".to_vec())
    );
    let outlines = doc
        .get_dictionary(catalog.get(b"Outlines").unwrap().as_reference().unwrap())
        .unwrap();
    assert_eq!(outlines.get(b"Count").unwrap().as_i64().unwrap(), 2);
    let first = doc
        .get_dictionary(outlines.get(b"First").unwrap().as_reference().unwrap())
        .unwrap();
    assert_eq!(
        decode_text_string(first.get(b"Title").unwrap()),
        "材料清单 / Checklist"
    );
}

#[test]
fn only_faces_in_use_are_embedded() {
    let bytes = plain(&written(&small_packet()));
    assert_eq!(
        regex::bytes::Regex::new("/FontFile3")
            .unwrap()
            .find_iter(&bytes)
            .count(),
        1
    );
    assert!(contains(&bytes, "NotoSerifCJKsc-Regular") && !contains(&bytes, "NotoSerifCJKsc-Bold"));
}

/// Measured on the 2-core machine, release build, one thread: about 3.5 ms per packet,
/// most of it deflating the two font programs.
#[test]
fn three_page_cjk_packet_is_small_and_quick() {
    let packet = packet(3, 1500, 0x4E00);
    let _ = written(&packet); // parses the faces into the process cache
    let start = Instant::now();
    let rounds: u32 = 5;
    let mut bytes = Vec::new();
    for _ in 0..rounds {
        bytes = written(&packet);
    }
    let per_packet = start.elapsed() / rounds;
    println!(
        "3-page packet, 1,500 CJK characters, 2 faces: {} bytes, {per_packet:?} each",
        bytes.len()
    );
    assert!(bytes.len() < 100_000, "{} bytes", bytes.len());
}

#[test]
fn structural_mistakes_are_errors() {
    let empty = LaidOutPacket {
        pages: Vec::new(),
        outline: Vec::new(),
    };
    assert!(matches!(
        write(&empty, &meta(), FontBook::builtin()),
        Err(PdfError::NoPages)
    ));
    let mut bad = small_packet();
    bad.outline.push(OutlineEntry {
        title: "x".to_string(),
        page: 3,
    });
    let err = write(&bad, &meta(), FontBook::builtin()).unwrap_err();
    assert!(
        matches!(
            err,
            PdfError::OutlineBeyondLastPage {
                page: 4,
                pages: 1,
                ..
            }
        ),
        "{err}"
    );
}

/// Runs a poppler/qpdf tool on `bytes` (written to a file that replaces `{pdf}` in `args`),
/// or `None` (with a note) when the tool is not installed.
fn tool(name: &str, args: &[&str], bytes: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("packet.pdf");
    std::fs::write(&path, bytes).unwrap();
    let args = args.iter().map(|a| {
        if *a == "{pdf}" {
            path.as_os_str()
        } else {
            a.as_ref()
        }
    });
    match Command::new(name).args(args).output() {
        Ok(out) => {
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{name} failed: {stderr}");
            Some(String::from_utf8_lossy(&out.stdout).into_owned())
        }
        Err(_) => {
            println!(
                "note: {name} is not installed; skipping (apt-get install poppler-utils qpdf)"
            );
            None
        }
    }
}

#[test]
fn poppler_extracts_the_text_and_sees_embedded_subsets() {
    let bytes = written(&packet(3, 1500, 0x4E00));
    let Some(text) = tool("pdftotext", &["-enc", "UTF-8", "{pdf}", "-"], &bytes) else {
        return;
    };
    assert!(text.contains("材料清单 Checklist 1"), "{text}");
    let alphabet = ideographs(0x4E00, ALPHABET);
    let first_line: String = (0..CHARS_PER_LINE)
        .map(|i| alphabet[(i * 11) % ALPHABET])
        .collect();
    assert!(
        text.contains(&first_line),
        "body text not extracted:\n{text}"
    );
    let Some(fonts) = tool("pdffonts", &["{pdf}"], &bytes) else {
        return;
    };
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type… encoding emb sub uni object ID
        let n = cols.len();
        assert!(row.contains("CID Type 0C"), "{row}");
        assert_eq!(&cols[n - 5..n - 2], &["yes", "yes", "yes"], "{row}");
    }
    if let Some(check) = tool("qpdf", &["--check", "{pdf}"], &bytes) {
        assert!(
            check.contains("No syntax or stream encoding errors"),
            "{check}"
        );
    }
}
