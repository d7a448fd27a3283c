//! The bound copy and the upload PDFs, checked with real tools: fixtures made at test time
//! by ImageMagick, img2pdf and qpdf (and licpack's own packet), outputs read back with
//! `qpdf --check`, `pdftotext`, `pdfimages -j`, `pdftoppm` and `qpdf --json`.
//!
//! Until the `licpack dossier` command lands, the library's `assemble::dossier` is called
//! with pages built here, as the normalisation step will hand them over.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use chrono::NaiveDate;
use licpack::catalog::Text;
use licpack::dossier::assemble::{self, Options, Part};
use licpack::dossier::inspect::{Colour, PageFacts};
use licpack::dossier::normalise::{NormalisedPage, PageContent};
use licpack::dossier::report::Status;
use licpack::dossier::rules::UploadRules;
use licpack::dossier::{DossierPlan, Slot};
use licpack::image::Image;
use licpack::packet::Engine;

/// The tools this file needs, or None (and a notice) when one is absent outside CI.
fn tools() -> Option<()> {
    for tool in [
        "convert",
        "img2pdf",
        "qpdf",
        "pdftotext",
        "pdfimages",
        "pdftoppm",
    ] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success());
        if !found {
            assert!(
                std::env::var_os("LICPACK_CI").is_none(),
                "LICPACK_CI is set but {tool} is missing; install imagemagick img2pdf qpdf poppler-utils"
            );
            eprintln!("notice: {tool} not found; skipping the dossier assembly tests");
            return None;
        }
    }
    Some(())
}

fn run(cmd: &mut Command) -> Vec<u8> {
    let out = cmd.output().expect("tool runs");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A 75 dpi A4 "scan": white with noise, a red square in its top-left corner.
fn red_corner_jpeg(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    run(Command::new("convert")
        .args([
            "-size",
            "620x877",
            "xc:white",
            "-fill",
            "red",
            "-draw",
            "rectangle 0,0 150,150",
            "-fill",
            "black",
            "-draw",
            "rectangle 100,400 500,420",
            "-units",
            "PixelsPerInch",
            "-density",
            "75",
            "-quality",
            "85",
        ])
        .arg(&path));
    path
}

fn image_page(path: &Path, quarter_turns: u8) -> NormalisedPage {
    let image = Image::decode(&std::fs::read(path).unwrap()).unwrap();
    let (w, h) = (
        image.width as f32 * 72.0 / 75.0,
        image.height as f32 * 72.0 / 75.0,
    );
    let upright_pt = if quarter_turns % 2 == 1 {
        (h, w)
    } else {
        (w, h)
    };
    NormalisedPage {
        facts: PageFacts {
            pixels: Some((image.width, image.height)),
            upright_pt,
            dpi_on_a4: Some(75.0),
            colour: Colour::Rgb,
            orientation: 1,
            blank: false,
        },
        content: PageContent::Image {
            image: Arc::new(image),
            quarter_turns,
        },
    }
}

fn pdf_pages(path: &Path) -> Vec<NormalisedPage> {
    let document = Arc::new(lopdf::Document::load(path).unwrap());
    let count = document.get_pages().len();
    (0..count)
        .map(|index| NormalisedPage {
            facts: PageFacts {
                pixels: None,
                upright_pt: (0.0, 0.0),
                dpi_on_a4: None,
                colour: Colour::Vector,
                orientation: 1,
                blank: false,
            },
            content: PageContent::PdfPage {
                document: Arc::clone(&document),
                index,
            },
        })
        .collect()
}

fn slot(number: usize, id: &str, zh: &str, copy: bool) -> Slot {
    Slot {
        number,
        id: id.into(),
        name: Text {
            zh: zh.into(),
            en: format!("Material {number}"),
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
        procedure: Text {
            zh: "续期".into(),
            en: "Renewal".into(),
        },
        authority: Text {
            zh: "工业和信息化部".into(),
            en: "MIIT".into(),
        },
        date: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        slots,
        rules: UploadRules::default(),
        file_stem: "B2-20220318-renewal".into(),
    }
}

fn text_of(pdf: &Path, page: Option<usize>) -> String {
    let mut cmd = Command::new("pdftotext");
    if let Some(n) = page {
        cmd.args(["-f", &n.to_string(), "-l", &n.to_string()]);
    }
    String::from_utf8(run(cmd.arg(pdf).arg("-"))).unwrap()
}

/// The page as 30 dpi RGB pixels: (width, height, samples).
fn render(pdf: &Path, page: usize) -> (usize, usize, Vec<u8>) {
    let n = page.to_string();
    let ppm = run(Command::new("pdftoppm")
        .args(["-r", "30", "-f", &n, "-l", &n])
        .arg(pdf));
    // P6\n<w> <h>\n255\n<samples>
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while ppm[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !ppm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&ppm[start..at]).to_string());
    }
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, ppm[at + 1..].to_vec())
}

/// Share of clearly red pixels in the region given as fractions of the page.
fn red_share(img: &(usize, usize, Vec<u8>), (x0, y0, x1, y1): (f32, f32, f32, f32)) -> f32 {
    let (w, h, px) = img;
    let (xa, xb) = ((x0 * *w as f32) as usize, (x1 * *w as f32) as usize);
    let (ya, yb) = ((y0 * *h as f32) as usize, (y1 * *h as f32) as usize);
    let mut red = 0;
    let mut all = 0;
    for y in ya..yb {
        for x in xa..xb {
            let i = (y * w + x) * 3;
            all += 1;
            if px[i] > 180 && px[i + 1] < 90 && px[i + 2] < 90 {
                red += 1;
            }
        }
    }
    red as f32 / all.max(1) as f32
}

fn outline_titles(pdf: &Path) -> Vec<(String, usize)> {
    let json = run(Command::new("qpdf")
        .args(["--json", "--json-key=outlines", "--json-key=pages"])
        .arg(pdf));
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let pages: Vec<String> = v["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["object"].as_str().unwrap().to_string())
        .collect();
    v["outlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let target = o["destpageposfrom1"]
                .as_u64()
                .map(|n| n as usize)
                .unwrap_or_else(|| {
                    let obj = o["dest"][0].as_str().unwrap_or_default().to_string();
                    pages.iter().position(|p| *p == obj).unwrap() + 1
                });
            (o["title"].as_str().unwrap().to_string(), target)
        })
        .collect()
}

struct Fixtures {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    jpeg: PathBuf,
    img2pdf: PathBuf,
    rotated: PathBuf,
    cropped: PathBuf,
    packet: PathBuf,
}

fn fixtures() -> Fixtures {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let jpeg = red_corner_jpeg(&dir, "scan.jpg");
    let img2pdf = dir.join("scan.pdf");
    run(Command::new("img2pdf").arg(&jpeg).arg("-o").arg(&img2pdf));
    let rotated = dir.join("rotated.pdf");
    run(Command::new("qpdf")
        .arg(&img2pdf)
        .arg("--rotate=+90")
        .arg(&rotated));
    // The lower-right quadrant only: the red corner is outside the CropBox.
    let cropped = dir.join("cropped.pdf");
    let mut doc = lopdf::Document::load(&img2pdf).unwrap();
    let page = *doc.get_pages().get(&1).unwrap();
    let media: Vec<f32> = doc
        .get_dictionary(page)
        .unwrap()
        .get(b"MediaBox")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_float().unwrap())
        .collect();
    let crop = vec![
        (media[2] / 2.0).into(),
        0.into(),
        media[2].into(),
        (media[3] / 2.0).into(),
    ];
    doc.get_dictionary_mut(page)
        .unwrap()
        .set("CropBox", lopdf::Object::Array(crop));
    doc.save(&cropped).unwrap();
    let out = dir.join("packet");
    run(Command::new(env!("CARGO_BIN_EXE_licpack"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "generate",
            "samples/callcenter-renewal.toml",
            "--date",
            "2026-11-25",
            "--out",
        ])
        .arg(&out));
    let packet = walk_pdf(&out).expect("the sample packet");
    Fixtures {
        _dir: tmp,
        dir,
        jpeg,
        img2pdf,
        rotated,
        cropped,
        packet,
    }
}

fn walk_pdf(dir: &Path) -> Option<PathBuf> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if let Some(found) = walk_pdf(&path) {
                return Some(found);
            }
        } else if path.extension().is_some_and(|e| e == "pdf") {
            return Some(path);
        }
    }
    None
}

#[test]
fn dossier_numbers_stamps_bookmarks_and_pages_agree() {
    if tools().is_none() {
        return;
    }
    let f = fixtures();
    let engine = Engine::new(None).unwrap();
    let slots = vec![
        slot(1, "license-copy", "营业执照副本复印件", true),
        slot(2, "missing", "网络与信息安全保障措施", false),
        slot(3, "scan-pdf", "扫描件", false),
        slot(4, "rotated", "旋转件", false),
        slot(5, "cropped", "裁切件", false),
        slot(6, "packet", "申请材料清单", false),
        slot(7, "twice", "同页两次", false),
    ];
    let plan = plan(slots);
    let scans = vec![image_page(&f.jpeg, 0), image_page(&f.jpeg, 1)];
    let scan_pdf = pdf_pages(&f.img2pdf);
    let rotated = pdf_pages(&f.rotated);
    let cropped = pdf_pages(&f.cropped);
    let packet: Vec<NormalisedPage> = pdf_pages(&f.packet).into_iter().take(1).collect();
    let twice = vec![scan_pdf[0].clone(), scan_pdf[0].clone()];
    let pages: [&[NormalisedPage]; 7] =
        [&scans, &[], &scan_pdf, &rotated, &cropped, &packet, &twice];
    let parts: Vec<Part> = plan
        .slots
        .iter()
        .zip(pages)
        .map(|(slot, pages)| Part {
            slot,
            status: if pages.is_empty() {
                Status::Missing
            } else {
                Status::Ready
            },
            pages,
        })
        .collect();
    let options = Options {
        separators: false,
        copy_marks: true,
    };
    let assembled = assemble::dossier(&plan, &parts, &engine, &options).unwrap();
    let again = assemble::dossier(&plan, &parts, &engine, &options).unwrap();
    assert!(
        assembled.pdf.to_bytes() == again.pdf.to_bytes(),
        "same input, same bytes"
    );
    let pdf = f.dir.join("dossier.pdf");
    std::fs::write(&pdf, assembled.pdf.to_bytes()).unwrap();
    run(Command::new("qpdf").arg("--check").arg(&pdf));

    let total = assembled.pages;
    let front = assembled.first_pages[0].unwrap() - 1;
    assert_eq!(total, front + 2 + 1 + 1 + 1 + 1 + 2);
    assert_eq!(assembled.first_pages[1], None);

    // The 目录 lists every material with its first page, 缺 for the missing one.
    let toc = text_of(&pdf, Some(front));
    let toc_line = |zh: &str| -> String {
        toc.lines()
            .find(|l| l.contains(zh))
            .unwrap_or_else(|| panic!("{zh} not in 目录:\n{toc}"))
            .to_string()
    };
    assert!(toc.contains("目录"));
    assert!(toc_line("网络与信息安全保障措施").contains('缺') || toc.contains("缺"));
    for (part, first) in parts.iter().zip(&assembled.first_pages) {
        let Some(first) = first else { continue };
        let number = first.to_string();
        assert!(
            toc.lines().any(|l| l.trim() == number)
                || toc_line(&part.slot.name.zh).contains(&number),
            "{} page {first} not in 目录:\n{toc}",
            part.slot.name.zh
        );
    }
    // Each page is stamped once with its number, and the 目录's page is where the stamp says.
    for n in 1..=total {
        let text = text_of(&pdf, Some(n));
        let stamp = format!("第 {n} 页 共 {total} 页");
        assert_eq!(text.matches(&stamp).count(), 1, "page {n}:\n{text}");
    }
    // Bookmarks: one per present material, Chinese name, at its first page.
    let expected: Vec<(String, usize)> = parts
        .iter()
        .zip(&assembled.first_pages)
        .filter_map(|(p, first)| Some((p.slot.name.zh.clone(), (*first)?)))
        .collect();
    assert_eq!(outline_titles(&pdf), expected);

    // Copy marks on the copy's pages only.
    let first_scan = assembled.first_pages[0].unwrap();
    assert!(text_of(&pdf, Some(first_scan)).contains(assemble::COPY_MARK));
    assert!(!text_of(&pdf, assembled.first_pages[2]).contains(assemble::COPY_MARK));

    // The licpack packet's page keeps its text.
    let imported = text_of(&pdf, assembled.first_pages[5]);
    assert!(imported.contains("北京云声科技有限公司"), "{imported}");

    // Orientation by pixels: red top-left when upright, top-right after a quarter turn.
    let upright = render(&pdf, first_scan);
    assert!(red_share(&upright, (0.0, 0.0, 0.2, 0.15)) > 0.3);
    assert!(red_share(&upright, (0.8, 0.0, 1.0, 0.15)) < 0.01);
    let turned = render(&pdf, first_scan + 1);
    assert!(
        red_share(&turned, (0.75, 0.0, 1.0, 0.15)) > 0.2,
        "turned image"
    );
    assert!(red_share(&turned, (0.0, 0.0, 0.2, 0.15)) < 0.01);
    let rotated_page = render(&pdf, assembled.first_pages[3].unwrap());
    assert!(
        red_share(&rotated_page, (0.75, 0.0, 1.0, 0.15)) > 0.2,
        "/Rotate 90 page"
    );
    assert!(red_share(&rotated_page, (0.0, 0.0, 0.2, 0.15)) < 0.01);
    let cropped_page = render(&pdf, assembled.first_pages[4].unwrap());
    assert_eq!(
        red_share(&cropped_page, (0.0, 0.0, 1.0, 1.0)),
        0.0,
        "CropBox ignored"
    );
    let plain = render(&pdf, assembled.first_pages[2].unwrap());
    assert!(red_share(&plain, (0.0, 0.0, 0.2, 0.15)) > 0.3);

    // The same source page drawn twice is one form XObject.
    let doc = lopdf::Document::load(&pdf).unwrap();
    let forms = doc
        .objects
        .values()
        .filter(|o| {
            o.as_stream().is_ok_and(|s| {
                s.dict
                    .get(b"Subtype")
                    .and_then(|v| v.as_name())
                    .is_ok_and(|n| n == b"Form")
            })
        })
        .count();
    // scan, rotated, cropped, packet page: the scan page reused by the last material (twice)
    // is the same form.
    assert_eq!(forms, 4);
}

#[test]
fn jpeg_is_embedded_byte_for_byte_and_pages_pdf_keeps_sizes() {
    if tools().is_none() {
        return;
    }
    let f = fixtures();
    let original = std::fs::read(&f.jpeg).unwrap();
    let pages = vec![image_page(&f.jpeg, 0), pdf_pages(&f.rotated).remove(0)];
    let bytes = assemble::pages_pdf(&pages, "营业执照副本复印件").unwrap();
    assert_eq!(
        bytes,
        assemble::pages_pdf(&pages, "营业执照副本复印件").unwrap()
    );
    let pdf = f.dir.join("upload.pdf");
    std::fs::write(&pdf, &bytes).unwrap();
    run(Command::new("qpdf").arg("--check").arg(&pdf));
    let out = f.dir.join("extracted");
    run(Command::new("pdfimages").arg("-j").arg(&pdf).arg(&out));
    let extracted = std::fs::read(f.dir.join("extracted-000.jpg")).unwrap();
    assert!(extracted == original, "the JPEG changed on the way");
    // No stamps; each page at its own size: the scan at 75 dpi, the turned page landscape.
    assert!(!text_of(&pdf, None).contains('页'));
    let info = String::from_utf8(run(Command::new("pdfinfo")
        .args(["-f", "1", "-l", "2"])
        .arg(&pdf)))
    .unwrap();
    let sizes: Vec<&str> = info.lines().filter(|l| l.contains("size:")).collect();
    assert!(
        sizes[0].contains("595.2 x 841.92") || sizes[0].contains("595.2 x 841.9"),
        "{info}"
    );
    assert!(
        sizes[1].contains("841.9") && sizes[1].find("841.9") < sizes[1].find("595.2"),
        "{info}"
    );
    // Overhead beside the JPEG itself and the imported page stays small.
    let img2pdf = std::fs::metadata(&f.img2pdf).unwrap().len() as usize;
    assert!(
        bytes.len() < original.len() + img2pdf + 4096,
        "{} bytes",
        bytes.len()
    );
    let upright = render(&pdf, 2);
    assert!(red_share(&upright, (0.75, 0.0, 1.0, 0.2)) > 0.3);
}
