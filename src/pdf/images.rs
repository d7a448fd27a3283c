//! Turns the images a packet draws (the agency logo) into PDF image XObjects, named by a
//! digest of their file so the bytes never depend on what the process drew before. JPEG is
//! embedded as it is; raw samples are left for the final compression pass.

use std::collections::BTreeMap;

use printpdf::{DictItem, ExternalStream, ExternalXObject, PdfDocument, XObject, XObjectId};

use super::splice::{SplicedImage, SPLICE_KEY, SPLICE_MIN_BYTES};
use crate::image::{ColorSpace, Encoding, Image};
use crate::layout::{Item, LaidOutPacket};

/// Adds every image of `packet` once; returns the XObject id per image digest, and the
/// images whose bytes are spliced in when the file is saved (`splice.rs`).
pub(super) fn add_images(
    pdf: &mut PdfDocument,
    packet: &LaidOutPacket,
) -> (BTreeMap<String, XObjectId>, Vec<SplicedImage>) {
    let mut ids = BTreeMap::new();
    let mut spliced = Vec::new();
    let images = packet
        .pages
        .iter()
        .flat_map(|p| p.body.iter().chain(&p.furniture))
        .filter_map(|item| match item {
            Item::Image(img) => Some(&img.image),
            _ => None,
        });
    for image in images {
        if ids.contains_key(&image.digest) {
            continue;
        }
        let id = XObjectId(format!("Im{}", image.digest));
        let mut stream = stream(image);
        if is_spliced(image) {
            stream.dict.insert(
                String::from_utf8_lossy(SPLICE_KEY).into_owned(),
                DictItem::Int(spliced.len() as i64),
            );
            spliced.push(SplicedImage {
                bytes: image.data.clone(),
                digest: image.digest.clone(),
            });
        }
        let xobject = ExternalXObject {
            stream,
            width: None,
            height: None,
            dpi: None,
        };
        pdf.resources
            .xobjects
            .map
            .insert(id.clone(), XObject::External(xobject));
        ids.insert(image.digest.clone(), id);
    }
    (ids, spliced)
}

fn stream(image: &Image) -> ExternalStream {
    let mut dict = image_dict(image.width, image.height, image.color);
    if image.encoding == Encoding::Jpeg {
        dict.insert("Filter".into(), name("DCTDecode"));
    }
    if let Some(alpha) = &image.alpha {
        let mask = ExternalStream {
            dict: image_dict(image.width, image.height, ColorSpace::Gray),
            content: alpha.clone(),
            compress: true,
        };
        dict.insert("SMask".into(), DictItem::Stream { stream: mask });
    }
    ExternalStream {
        dict,
        // A large JPEG's content is left out (and spliced in at save time) before it is copied.
        content: if is_spliced(image) {
            Vec::new()
        } else {
            image.data.to_vec()
        },
        // JPEG is compressed already; raw samples deflate well.
        compress: image.encoding == Encoding::Raw,
    }
}

/// Whether `image`'s bytes are spliced into the saved file rather than copied into the tree.
fn is_spliced(image: &Image) -> bool {
    image.encoding == Encoding::Jpeg && image.data.len() >= SPLICE_MIN_BYTES
}

fn image_dict(width: u32, height: u32, color: ColorSpace) -> BTreeMap<String, DictItem> {
    let space = match color {
        ColorSpace::Gray => "DeviceGray",
        ColorSpace::Rgb => "DeviceRGB",
        ColorSpace::Cmyk => "DeviceCMYK",
    };
    BTreeMap::from([
        ("Type".to_string(), name("XObject")),
        ("Subtype".to_string(), name("Image")),
        ("Width".to_string(), DictItem::Int(i64::from(width))),
        ("Height".to_string(), DictItem::Int(i64::from(height))),
        ("ColorSpace".to_string(), name(space)),
        ("BitsPerComponent".to_string(), DictItem::Int(8)),
    ])
}

fn name(n: &str) -> DictItem {
    DictItem::Name(n.as_bytes().to_vec())
}
