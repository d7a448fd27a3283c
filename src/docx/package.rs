//! Turns the XML parts docx-rs builds into the DOCX file's bytes, adding what docx-rs 0.4
//! cannot say, with the smallest edit to its output:
//!
//! - the first-line indent in characters (`w:firstLineChars`: two characters whatever the
//!   size), which docx-rs keeps in its model but does not write;
//! - a repeating table header row (`w:tblHeader`): docx-rs has no setter, so the first
//!   row of each table gains it here;
//! - the document language (`w:lang`, east Asian zh-CN) in the default run properties, so
//!   Word neither underlines every Chinese word nor checks the English as Chinese;
//! - the core properties title, author, subject, keywords and dates (docx-rs has no public
//!   setter for them), written here like the PDF's metadata;
//! - a font table naming the Chinese office faces with their GB 2312 charset, so a word
//!   processor without them substitutes a Chinese face rather than a Western one;
//! - header and footer references first in each section's properties, as the schema orders
//!   them (docx-rs puts them last);
//! - the agency logo in the header: its media file, the header's relationship to it and
//!   the picture itself. docx-rs 0.4 numbers pictures from a process-wide counter and
//!   relates images to the document part only, so a header picture it wrote would name an
//!   image the header part cannot reach, with an id that depends on what the thread built
//!   before; here the picture has a fixed id and its own relationship;
//! - the archive itself: docx-rs stores parts uncompressed with the zip crate's default time;
//!   here every part is deflated with the packet's date as its time, in a fixed order, so
//!   the same input and `--date` give the same bytes.

use std::io::{Cursor, Write};

use docx_rs::XMLDocx;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::document::PacketMeta;

use super::logo::HeaderLogo;
use super::styles::{BODY_FONT_CHECKLIST, BODY_FONT_LETTER, FALLBACK_FONT, HEADING_FONT};

#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    #[error("cannot write the DOCX archive: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("cannot write the DOCX archive: {0}")]
    Io(#[from] std::io::Error),
    #[error(
        "docx-rs wrote {part} without the {what} licpack completes; the docx-rs version changed"
    )]
    Unexpected {
        part: &'static str,
        what: &'static str,
    },
}

/// The DOCX bytes of `xml`, completed as described in the module doc; `indents` are the
/// first-line indents of the styles as (twips, hundredths of a character); `logo` goes at
/// the right of every header.
pub fn pack(
    xml: XMLDocx,
    meta: &PacketMeta,
    indents: &[(i32, i32)],
    logo: Option<&HeaderLogo>,
) -> Result<Vec<u8>, PackageError> {
    let styles = with_indent_chars(&with_language(&xml.styles, meta)?, indents);
    let document = references_first(&mark_header_rows(&xml.document));
    let content_types = match logo {
        Some(logo) => with_media_type(&xml.content_type, logo)?,
        None => xml.content_type,
    };
    let mut parts: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), content_types),
        ("_rels/.rels".into(), xml.rels),
        ("docProps/app.xml".into(), xml.doc_props.app),
        (
            "docProps/core.xml".into(),
            core_properties(meta).into_bytes(),
        ),
        ("docProps/custom.xml".into(), xml.doc_props.custom),
        ("word/_rels/document.xml.rels".into(), xml.document_rels),
        ("word/document.xml".into(), document),
        ("word/styles.xml".into(), styles),
        ("word/settings.xml".into(), xml.settings),
        ("word/fontTable.xml".into(), font_table().into_bytes()),
        ("word/comments.xml".into(), xml.comments),
        ("word/numbering.xml".into(), xml.numberings),
        ("word/commentsExtended.xml".into(), xml.comments_extended),
        ("word/footnotes.xml".into(), xml.footnotes),
    ];
    for (i, h) in xml.headers.into_iter().enumerate() {
        let name = format!("header{}.xml", i + 1);
        match logo {
            Some(logo) => {
                parts.push((format!("word/{name}"), with_logo(&h, logo)?));
                parts.push((
                    format!("word/_rels/{name}.rels"),
                    logo_relationship(logo).into_bytes(),
                ));
            }
            None => parts.push((format!("word/{name}"), h)),
        }
    }
    if let Some(logo) = logo {
        parts.push((logo_path(logo), logo.file.clone()));
    }
    for (i, f) in xml.footers.into_iter().enumerate() {
        parts.push((format!("word/footer{}.xml", i + 1), f));
    }
    zip_parts(parts, meta)
}

/// The relationship id of the logo in each header part.
const LOGO_RELATIONSHIP: &str = "rIdLogo";
/// The picture's drawing id: docx-rs numbers its own pictures from 1, and the packet's
/// documents hold none, so this stays clear of them.
const LOGO_DRAWING_ID: u32 = 9001;

fn logo_path(logo: &HeaderLogo) -> String {
    format!("word/media/logo.{}", logo.extension)
}

/// `[Content_Types].xml` declaring the logo's file type.
fn with_media_type(content_types: &[u8], logo: &HeaderLogo) -> Result<Vec<u8>, PackageError> {
    let text = String::from_utf8_lossy(content_types);
    let declared = format!("Extension=\"{}\"", logo.extension);
    if text.contains(&declared) {
        return Ok(content_types.to_vec());
    }
    const END: &str = "</Types>";
    let at = text.rfind(END).ok_or(PackageError::Unexpected {
        part: "[Content_Types].xml",
        what: "end of the type list",
    })?;
    let default = format!(
        r#"<Default Extension="{}" ContentType="{}" />"#,
        logo.extension,
        logo.content_type()
    );
    Ok(format!("{}{default}{}", &text[..at], &text[at..]).into_bytes())
}

/// A header part's relationships: the logo only (docx-rs's headers relate to nothing).
fn logo_relationship(logo: &HeaderLogo) -> String {
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
            r#"<Relationship Id="{id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/logo.{ext}" />"#,
            "</Relationships>"
        ),
        id = LOGO_RELATIONSHIP,
        ext = logo.extension
    )
}

/// `header` with the logo anchored in its first paragraph: at the right margin, its foot
/// on the header line, the header text wrapping clear of it on the left.
fn with_logo(header: &[u8], logo: &HeaderLogo) -> Result<Vec<u8>, PackageError> {
    let text = String::from_utf8_lossy(header);
    let at = text.find("</w:p>").ok_or(PackageError::Unexpected {
        part: "the header",
        what: "paragraph",
    })?;
    Ok(format!("{}{}{}", &text[..at], logo_run(logo), &text[at..]).into_bytes())
}

fn logo_run(logo: &HeaderLogo) -> String {
    format!(
        concat!(
            r#"<w:r><w:drawing>"#,
            r#"<wp:anchor xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" distT="0" distB="0" distL="114300" distR="0" simplePos="0" relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">"#,
            r#"<wp:simplePos x="0" y="0" />"#,
            r#"<wp:positionH relativeFrom="margin"><wp:align>right</wp:align></wp:positionH>"#,
            r#"<wp:positionV relativeFrom="line"><wp:align>bottom</wp:align></wp:positionV>"#,
            r#"<wp:extent cx="{cx}" cy="{cy}" /><wp:effectExtent l="0" t="0" r="0" b="0" />"#,
            r#"<wp:wrapSquare wrapText="left" />"#,
            r#"<wp:docPr id="{id}" name="Agency logo" />"#,
            r#"<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" noChangeAspect="1" /></wp:cNvGraphicFramePr>"#,
            r#"<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">"#,
            r#"<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">"#,
            r#"<pic:nvPicPr><pic:cNvPr id="{id}" name="logo.{ext}" /><pic:cNvPicPr /></pic:nvPicPr>"#,
            r#"<pic:blipFill><a:blip xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:embed="{rel}" /><a:stretch><a:fillRect /></a:stretch></pic:blipFill>"#,
            r#"<pic:spPr><a:xfrm><a:off x="0" y="0" /><a:ext cx="{cx}" cy="{cy}" /></a:xfrm><a:prstGeom prst="rect"><a:avLst /></a:prstGeom></pic:spPr>"#,
            r#"</pic:pic></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"#
        ),
        cx = logo.width,
        cy = logo.height,
        id = LOGO_DRAWING_ID,
        ext = logo.extension,
        rel = LOGO_RELATIONSHIP,
    )
}

fn zip_parts(parts: Vec<(String, Vec<u8>)>, meta: &PacketMeta) -> Result<Vec<u8>, PackageError> {
    use chrono::Datelike;
    let d = meta.date;
    // Zip times start in 1980; a date outside their range falls back to that start.
    let time =
        DateTime::from_date_and_time(d.year() as u16, d.month() as u8, d.day() as u8, 0, 0, 0)
            .unwrap_or_default();
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(time)
        // "Made by Unix" on every system, so a DOCX written on Windows has the same bytes.
        .system(zip::System::Unix)
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        zip.start_file(name, options)?;
        zip.write_all(&bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// `styles.xml` with the packet's languages in the default run properties.
fn with_language(styles: &[u8], meta: &PacketMeta) -> Result<Vec<u8>, PackageError> {
    let text = String::from_utf8_lossy(styles);
    const END: &str = "</w:rPr></w:rPrDefault>";
    let at = text.find(END).ok_or(PackageError::Unexpected {
        part: "word/styles.xml",
        what: "default run properties",
    })?;
    // The English is British ("licence"); `lang` is "en" only for English-only packets.
    let east_asia = match meta.lang.as_str() {
        "en" => "en-GB",
        other => other,
    };
    let lang = format!("<w:lang w:val=\"en-GB\" w:eastAsia=\"{east_asia}\" w:bidi=\"ar-SA\" />");
    Ok(format!("{}{lang}{}", &text[..at], &text[at..]).into_bytes())
}

/// `styles.xml` with each first-line indent of `indents` also given in characters
/// (`w:firstLineChars`, which docx-rs 0.4 does not write).
fn with_indent_chars(styles: &[u8], indents: &[(i32, i32)]) -> Vec<u8> {
    let mut text = String::from_utf8_lossy(styles).into_owned();
    for (twips, chars) in indents {
        let from = format!("w:firstLine=\"{twips}\" />");
        let to = format!("w:firstLine=\"{twips}\" w:firstLineChars=\"{chars}\" />");
        text = text.replace(&from, &to);
    }
    text.into_bytes()
}

/// `document.xml` with the first row of every table repeating as its header. Every row is
/// built with `cant_split` (see `tables.rs`), so the first `w:cantSplit` after a `w:tbl` is
/// the header row's: the cells hold only paragraphs, never a nested table.
pub fn mark_header_rows(document: &[u8]) -> Vec<u8> {
    const ROW_MARK: &str = "<w:cantSplit />";
    let text = String::from_utf8_lossy(document);
    let mut out = String::with_capacity(text.len() + 256);
    let mut rest: &str = &text;
    while let Some(at) = rest.find("<w:tbl>") {
        let (before, table) = rest.split_at(at);
        out.push_str(before);
        match table.find(ROW_MARK) {
            Some(mark) => {
                let end = mark + ROW_MARK.len();
                out.push_str(&table[..end]);
                out.push_str("<w:tblHeader />");
                rest = &table[end..];
            }
            None => {
                out.push_str(table);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.into_bytes()
}

/// `document.xml` with each section's header and footer references moved to the front of
/// its `w:sectPr`, where the schema wants them (docx-rs writes them after the page size and
/// margins; strict readers reject that order).
fn references_first(document: &[u8]) -> Vec<u8> {
    static SECTION: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"<w:sectPr>((?:<w:(?:pgSz|pgMar|cols)\b[^>]*/>)*)((?:<w:(?:header|footer)Reference\b[^>]*/>)+)",
        )
        .expect("a valid pattern")
    });
    let text = String::from_utf8_lossy(document);
    SECTION
        .replace_all(&text, "<w:sectPr>$2$1")
        .into_owned()
        .into_bytes()
}

fn core_properties(meta: &PacketMeta) -> String {
    let date = format!("{}T00:00:00Z", meta.date.format("%Y-%m-%d"));
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            "<dc:title>{title}</dc:title><dc:subject>{subject}</dc:subject>",
            "<dc:creator>{author}</dc:creator><cp:keywords>{keywords}</cp:keywords>",
            "<dc:language>{lang}</dc:language><cp:lastModifiedBy>{author}</cp:lastModifiedBy>",
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{date}</dcterms:created>"#,
            r#"<dcterms:modified xsi:type="dcterms:W3CDTF">{date}</dcterms:modified>"#,
            "<cp:revision>1</cp:revision></cp:coreProperties>"
        ),
        title = escape(&meta.title),
        subject = escape(&meta.subject),
        author = escape(&meta.author),
        keywords = escape(&meta.keywords.join(", ")),
        lang = escape(&meta.lang),
        date = date,
    )
}

/// The fonts the styles name; charset 86 is GB 2312, family and pitch as Windows reports
/// these faces.
fn font_table() -> String {
    let font = |name: &str, alt: &str, charset: &str, family: &str| {
        format!(
            r#"<w:font w:name="{name}"><w:altName w:val="{alt}" /><w:charset w:val="{charset}" /><w:family w:val="{family}" /><w:pitch w:val="variable" /></w:font>"#
        )
    };
    let fonts = [
        font(BODY_FONT_LETTER, "FangSong", "86", "modern"),
        font(BODY_FONT_CHECKLIST, "SimSun", "86", "auto"),
        font(HEADING_FONT, "SimHei", "86", "modern"),
        font(FALLBACK_FONT, "Noto Serif CJK SC", "86", "roman"),
    ];
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{}</w:fonts>"#,
        fonts.concat()
    )
}

/// Text for XML character data and attribute values.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_row_of_each_table_repeats() {
        let row = "<w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr>";
        let xml = format!("<w:tbl>{row}{row}</w:tbl><w:p/><w:tbl>{row}{row}</w:tbl>");
        let out = String::from_utf8(mark_header_rows(xml.as_bytes())).unwrap();
        let header = "<w:cantSplit /><w:tblHeader />";
        assert_eq!(out.matches(header).count(), 2);
        assert!(
            out.starts_with(&format!("<w:tbl><w:tr><w:trPr>{header}")),
            "{out}"
        );
        assert_eq!(out.matches("<w:cantSplit />").count(), 4);
    }

    #[test]
    fn section_references_come_first() {
        let xml = concat!(
            r#"<w:sectPr><w:pgSz w:w="1" /><w:pgMar w:top="2" /><w:cols w:num="1" />"#,
            r#"<w:headerReference w:type="default" r:id="h" /><w:footerReference w:type="default" r:id="f" /></w:sectPr>"#
        );
        let out = String::from_utf8(references_first(xml.as_bytes())).unwrap();
        assert!(out.starts_with(r#"<w:sectPr><w:headerReference"#), "{out}");
        assert!(out.contains(r#"r:id="f" /><w:pgSz"#), "{out}");
        assert!(out.ends_with(r#"<w:cols w:num="1" /></w:sectPr>"#), "{out}");
    }

    #[test]
    fn core_properties_escape_company_text() {
        let meta = crate::docx::tests::meta("A & B <Co>");
        let xml = core_properties(&meta);
        assert!(
            xml.contains("<dc:title>A &amp; B &lt;Co&gt;</dc:title>"),
            "{xml}"
        );
        assert!(xml.contains("2026-11-25T00:00:00Z"));
    }
}
