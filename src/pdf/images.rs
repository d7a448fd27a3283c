//! Turns the images a packet draws (the agency logo) into PDF image XObjects, named by a
//! digest of their file so the bytes never depend on what the process drew before. JPEG is
//! embedded as it is; raw samples are left for the final compression pass.

use std::collections::BTreeMap;

use printpdf::{DictItem, ExternalStream, ExternalXObject, PdfDocument, XObject, XObjectId};

use crate::image::{ColorSpace, Encoding, Image};
use crate::layout::{Item, LaidOutPacket};

/// Adds every image of `packet` once; returns the XObject id per image digest.
pub(super) fn add_images(
    pdf: &mut PdfDocument,
    packet: &LaidOutPacket,
) -> BTreeMap<String, XObjectId> {
    let mut ids = BTreeMap::new();
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
        let xobject = ExternalXObject {
            stream: stream(image),
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
    ids
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
        content: image.data.to_vec(),
        // JPEG is compressed already; raw samples deflate well.
        compress: image.encoding == Encoding::Raw,
    }
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
