//! Large JPEGs go into the file without being copied: a dossier's scans are nearly all of its
//! bytes (25 MB for twenty 300-dpi pages), and through printpdf and lopdf each would be copied
//! three times (into the XObject, into lopdf's tree, into the saved buffer) and hashed once
//! more for the `/ID`, which cost more than reading and checking them.
//!
//! So the image's stream is set up empty and marked (`images.rs`); before saving, its
//! content becomes a zeroed placeholder of the right length, which the allocator hands out
//! untouched. lopdf writes every stream's content with one `write_all` of the whole slice, so
//! [`SplicingWriter`] knows the placeholder by its address and records where the image goes
//! instead of copying it. The result, [`PdfFile`], is the file's own bytes with the shared
//! image bytes spliced in when it is written or compared.

use std::collections::BTreeMap;
use std::io::Write;

use lopdf::{Document, Object};

use crate::image::SharedBytes;

/// The mark `images.rs` puts on an image stream whose bytes are spliced in at save time: its
/// value is the image's index in the list handed to [`fill_placeholders`].
pub(super) const SPLICE_KEY: &[u8] = b"LicpackSplice";

/// A JPEG at least this large is spliced; smaller ones (logos) are copied as before.
pub(super) const SPLICE_MIN_BYTES: usize = 64 * 1024;

/// A spliced image: its bytes and the digest that names it.
#[derive(Clone)]
pub(super) struct SplicedImage {
    pub bytes: SharedBytes,
    pub digest: String,
}

/// A PDF file as written: its own bytes, with image bytes spliced in at recorded offsets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PdfFile {
    own: Vec<u8>,
    /// `(offset in own, bytes)`, ascending: the image bytes go before `own[offset]`.
    splices: Vec<(usize, SharedBytes)>,
}

impl PdfFile {
    /// The file's bytes in order, as slices.
    pub fn parts(&self) -> Vec<&[u8]> {
        let mut parts = Vec::with_capacity(2 * self.splices.len() + 1);
        let mut at = 0;
        for (offset, bytes) in &self.splices {
            parts.push(&self.own[at..*offset]);
            parts.push(&bytes[..]);
            at = *offset;
        }
        parts.push(&self.own[at..]);
        parts
    }

    /// The file's length in bytes.
    pub fn len(&self) -> usize {
        self.own.len() + self.splices.iter().map(|(_, b)| b.len()).sum::<usize>()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The whole file in one buffer (a copy of every spliced image).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(self.len());
        for part in self.parts() {
            bytes.extend_from_slice(part);
        }
        bytes
    }

    /// The file's own bytes, for the `/ID` patch.
    pub(super) fn own_mut(&mut self) -> &mut Vec<u8> {
        &mut self.own
    }

    /// What makes the file differ from another with the same own bytes: each spliced image's
    /// place and digest, for the content `/ID`.
    pub(super) fn splice_fingerprint(&self, images: &[SplicedImage]) -> Vec<u8> {
        let digests: BTreeMap<*const u8, &str> = images
            .iter()
            .map(|i| (i.bytes.as_ptr(), i.digest.as_str()))
            .collect();
        let mut out = Vec::new();
        for (offset, bytes) in &self.splices {
            out.extend_from_slice(&(*offset as u64).to_be_bytes());
            out.extend_from_slice(&(bytes.len() as u64).to_be_bytes());
            out.extend_from_slice(digests.get(&bytes.as_ptr()).unwrap_or(&"").as_bytes());
        }
        out
    }
}

/// Gives each marked image stream of `doc` its placeholder content; the placeholders, by
/// address, for [`SplicingWriter`].
pub(super) fn fill_placeholders(
    doc: &mut Document,
    images: &[SplicedImage],
) -> BTreeMap<usize, SharedBytes> {
    let mut placeholders = BTreeMap::new();
    for object in doc.objects.values_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        let Ok(index) = stream.dict.get(SPLICE_KEY).and_then(Object::as_i64) else {
            continue;
        };
        // Rebuilt rather than removed from: lopdf's remove moves the last key into the gap.
        stream.dict = std::mem::take(&mut stream.dict)
            .into_iter()
            .filter(|(key, _)| key != SPLICE_KEY && key != b"Length")
            .collect();
        let Some(image) = usize::try_from(index).ok().and_then(|i| images.get(i)) else {
            continue;
        };
        // Zeroed memory straight from the allocator: never touched, never copied.
        stream.content = vec![0u8; image.bytes.len()];
        // Last, where lopdf puts it for a stream made with its content.
        stream
            .dict
            .set("Length", Object::Integer(image.bytes.len() as i64));
        placeholders.insert(stream.content.as_ptr() as usize, image.bytes.clone());
    }
    placeholders
}

/// Collects lopdf's output, recording a placeholder's place instead of its zeros.
pub(super) struct SplicingWriter {
    file: PdfFile,
    placeholders: BTreeMap<usize, SharedBytes>,
}

impl SplicingWriter {
    pub(super) fn new(placeholders: BTreeMap<usize, SharedBytes>, capacity: usize) -> Self {
        SplicingWriter {
            file: PdfFile {
                own: Vec::with_capacity(capacity),
                splices: Vec::new(),
            },
            placeholders,
        }
    }

    /// The file; every placeholder must have been met once.
    pub(super) fn finish(self) -> Result<PdfFile, String> {
        if self.placeholders.is_empty() {
            Ok(self.file)
        } else {
            Err(format!(
                "{} image(s) were not written where they belong",
                self.placeholders.len()
            ))
        }
    }
}

impl Write for SplicingWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        let key = buf.as_ptr() as usize;
        let is_placeholder = self
            .placeholders
            .get(&key)
            .is_some_and(|bytes| bytes.len() == buf.len());
        if is_placeholder {
            if let Some(bytes) = self.placeholders.remove(&key) {
                self.file.splices.push((self.file.own.len(), bytes));
                return Ok(());
            }
        }
        self.file.own.extend_from_slice(buf);
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_put_the_images_back_where_the_placeholders_were() {
        let image: SharedBytes = vec![7u8; 100].into();
        let placeholder = vec![0u8; 100];
        let mut placeholders = BTreeMap::new();
        placeholders.insert(placeholder.as_ptr() as usize, image.clone());
        let mut writer = SplicingWriter::new(placeholders, 0);
        writer.write_all(b"head ").unwrap();
        writer.write_all(&placeholder).unwrap();
        // The same zeros elsewhere are written as they are.
        writer.write_all(&vec![0u8; 100][..3]).unwrap();
        writer.write_all(b" tail").unwrap();
        let file = writer.finish().unwrap();
        let mut expected = b"head ".to_vec();
        expected.extend([7u8; 100]);
        expected.extend([0, 0, 0]);
        expected.extend(b" tail");
        assert_eq!(file.to_bytes(), expected);
        assert_eq!(file.len(), expected.len());
    }

    #[test]
    fn a_placeholder_never_written_is_an_error() {
        let image: SharedBytes = vec![7u8; 10].into();
        let mut placeholders = BTreeMap::new();
        placeholders.insert(1usize, image);
        assert!(SplicingWriter::new(placeholders, 0).finish().is_err());
    }
}
