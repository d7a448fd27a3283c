//! Tells what a client's file is from its first bytes, never from its extension (phones and
//! scanners name files freely, clients rename them): a format licpack reads, or one it
//! recognises and refuses with what to do instead.

use std::io::Cursor;

use super::Format;

/// What the bytes say a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Readable(Format),
    /// Recognised but not taken: the clerk needs a different file.
    Refused(Refused),
    Unknown,
}

/// Formats the online system does not take, each with its remedy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    Heic,
    Ofd,
    Word,
    Excel,
    Office,
    Zip,
    Rtf,
}

impl Refused {
    /// What the format is and what the client should hand over instead.
    pub fn advice(self) -> &'static str {
        match self {
            Refused::Heic => {
                "an iPhone HEIC photo, which the online system does not take: export it as JPEG, \
                 or set the camera to Settings › Camera › Formats › Most Compatible and take it again"
            }
            Refused::Ofd => {
                "an OFD file (e-invoice or e-licence): open it in the OFD reader and print it to PDF"
            }
            Refused::Word => "a Word document: open it and save it as PDF",
            Refused::Excel => "a spreadsheet: open it and save it as PDF",
            Refused::Office => "an Office document: open it and save it as PDF",
            Refused::Zip => "a ZIP archive: unpack it into the materials folder",
            Refused::Rtf => "an RTF document: open it and save it as PDF",
        }
    }
}

/// Sniffs `bytes` (the whole file: ZIP-based formats are told apart by their entries).
pub fn kind(bytes: &[u8]) -> Kind {
    let head = &bytes[..bytes.len().min(1024)];
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"\xFF\xD8\xFF") {
        Kind::Readable(Format::Jpeg)
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Kind::Readable(Format::Png)
    } else if starts(b"II*\0") || starts(b"MM\0*") || starts(b"II+\0") || starts(b"MM\0+") {
        Kind::Readable(Format::Tiff)
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Kind::Readable(Format::Gif)
    } else if starts(b"BM") && bytes.len() > 26 {
        Kind::Readable(Format::Bmp)
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Kind::Readable(Format::Webp)
    } else if find(head, b"%PDF-").is_some() {
        Kind::Readable(Format::Pdf)
    } else if is_heif(bytes) {
        Kind::Refused(Refused::Heic)
    } else if starts(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        Kind::Refused(ole_kind(bytes))
    } else if starts(b"PK\x03\x04") {
        Kind::Refused(zip_kind(bytes))
    } else if starts(b"{\\rtf") {
        Kind::Refused(Refused::Rtf)
    } else {
        Kind::Unknown
    }
}

/// HEIF-family files (HEIC, HEIF, AVIF): an `ftyp` box with one of their brands.
fn is_heif(bytes: &[u8]) -> bool {
    const BRANDS: [&[u8]; 9] = [
        b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif",
    ];
    bytes.get(4..8) == Some(b"ftyp") && bytes.get(8..12).is_some_and(|b| BRANDS.contains(&b))
}

/// Old Office files share one container; the stream names tell Word from Excel.
fn ole_kind(bytes: &[u8]) -> Refused {
    let utf16 =
        |name: &str| -> Vec<u8> { name.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    if find(bytes, &utf16("WordDocument")).is_some() {
        Refused::Word
    } else if find(bytes, &utf16("Workbook")).is_some() || find(bytes, &utf16("Book")).is_some() {
        Refused::Excel
    } else {
        Refused::Office
    }
}

/// ZIP-based formats by their entries: OFD, DOCX, XLSX, other Office, or a plain archive.
fn zip_kind(bytes: &[u8]) -> Refused {
    let Ok(archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Refused::Zip;
    };
    let names: Vec<&str> = archive.file_names().collect();
    let has = |prefix: &str| names.iter().any(|n| n.starts_with(prefix));
    if names.iter().any(|n| n.eq_ignore_ascii_case("OFD.xml")) {
        Refused::Ofd
    } else if has("word/") {
        Refused::Word
    } else if has("xl/") {
        Refused::Excel
    } else if has("ppt/") || has("[Content_Types].xml") {
        Refused::Office
    } else {
        Refused::Zip
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_numbers_decide_not_extensions() {
        assert_eq!(kind(b"\xFF\xD8\xFF\xE0rest"), Kind::Readable(Format::Jpeg));
        assert_eq!(kind(b"II*\0...."), Kind::Readable(Format::Tiff));
        assert_eq!(kind(b"RIFF\0\0\0\0WEBPVP8 "), Kind::Readable(Format::Webp));
        assert_eq!(kind(b"\n\n%PDF-1.7\n"), Kind::Readable(Format::Pdf));
        assert_eq!(kind(b"hello"), Kind::Unknown);
    }

    #[test]
    fn heic_and_old_office_are_refused_with_advice() {
        let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
        assert_eq!(kind(heic), Kind::Refused(Refused::Heic));
        assert!(Refused::Heic.advice().contains("Most Compatible"));
        let mut doc = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
        doc.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(kind(&doc), Kind::Refused(Refused::Word));
    }

    #[test]
    fn zip_entries_tell_ofd_from_docx_from_archive() {
        use std::io::Write;
        let zipped = |name: &str| {
            let mut out = Cursor::new(Vec::new());
            let mut w = zip::ZipWriter::new(&mut out);
            w.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(b"x").unwrap();
            w.finish().unwrap();
            out.into_inner()
        };
        assert_eq!(kind(&zipped("OFD.xml")), Kind::Refused(Refused::Ofd));
        assert_eq!(
            kind(&zipped("word/document.xml")),
            Kind::Refused(Refused::Word)
        );
        assert_eq!(kind(&zipped("scan.jpg")), Kind::Refused(Refused::Zip));
        assert!(Refused::Ofd.advice().contains("print it to PDF"));
    }
}
