//! Turns one planned packet into the files a run asked for — PDF, DOCX or both — from one
//! composed [`Packet`](crate::document::Packet): templates are rendered and parsed once, then
//! each format's renderer (`layout → pdf`, `docx`) takes the same documents.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::packet::{Engine, PacketError};
use crate::plan::PacketPlan;
use crate::templates::Lang;

/// An output format of a packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Pdf,
    Docx,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
        }
    }

    /// `pdf_path` (the packet's path, see `output::packet_path`) with this format's extension.
    pub fn path(self, pdf_path: &Path) -> PathBuf {
        pdf_path.with_extension(self.extension())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Format, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pdf" => Ok(Format::Pdf),
            "docx" => Ok(Format::Docx),
            other => Err(format!(
                "unknown format \"{other}\"; use pdf, docx or pdf,docx"
            )),
        }
    }
}

/// The formats of a run, each once, PDF first.
pub fn normalize(formats: &[Format]) -> Vec<Format> {
    let mut out = formats.to_vec();
    out.sort();
    out.dedup();
    if out.is_empty() {
        out.push(Format::Pdf);
    }
    out
}

/// One file of a packet.
#[derive(Debug, Clone)]
pub struct Output {
    pub format: Format,
    pub bytes: Vec<u8>,
    /// Pages as laid out; `None` for DOCX, which the word processor paginates.
    pub pages: Option<usize>,
}

impl Engine {
    /// Renders `plan` once and writes it in each of `formats` (in memory).
    pub fn build_formats(
        &self,
        plan: &PacketPlan,
        lang: Lang,
        formats: &[Format],
    ) -> Result<Vec<Output>, PacketError> {
        let packet = self.compose(plan, lang)?;
        normalize(formats)
            .into_iter()
            .map(|format| match format {
                Format::Pdf => {
                    let (bytes, pages) = self.write_pdf(&packet)?;
                    Ok(Output {
                        format,
                        bytes,
                        pages: Some(pages),
                    })
                }
                Format::Docx => Ok(Output {
                    format,
                    bytes: crate::docx::write(&packet, self.styles())?,
                    pages: None,
                }),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_and_normalize() {
        assert_eq!("DOCX".parse::<Format>(), Ok(Format::Docx));
        assert!("odt".parse::<Format>().unwrap_err().contains("pdf, docx"));
        assert_eq!(
            normalize(&[Format::Docx, Format::Pdf, Format::Docx]),
            vec![Format::Pdf, Format::Docx]
        );
        assert_eq!(
            Format::Docx.path(Path::new("out/a/B2-1-renewal.pdf")),
            Path::new("out/a/B2-1-renewal.docx")
        );
    }
}
