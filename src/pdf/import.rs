//! Imports pages of other PDF files as form XObjects, so a dossier keeps a client's PDF
//! pages as they are (vector, text, fonts) and draws them through our one writer.
//!
//! Hand-written on lopdf because lopdf's own merge example copies whole page objects: it
//! flattens attributes a page inherits from its `/Pages` ancestors wrongly and drags the
//! old page tree (and outline) along. Here a page becomes one self-contained form:
//!
//! - `/Resources`, `/MediaBox`, `/CropBox` and `/Rotate` are looked up through the
//!   `/Parent` chain, as a viewer does;
//! - the objects the resources reach are copied once per source document (ids remapped and
//!   memoised, so a font or image shared by several pages is written once); `/Parent` is
//!   never followed, so no page tree or outline comes along;
//! - `/BBox` is the CropBox and `/Matrix` turns the page by its `/Rotate` and moves it to
//!   the origin, so the form is upright with its upright size in points;
//! - the page's content streams are decoded and joined into the form's single stream (the
//!   writer's final pass deflates it).
//!
//! Annotations are not imported: links point into the old file, and form fields would bring
//! their names into our document (where two clients' forms could clash) and an `/AcroForm`
//! we do not have. A page's look is its content; filled-in fields that exist only as widget
//! appearances are lost, which a scan or a printed-to-PDF file never has.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use printpdf::XObjectId;

use super::PdfError;
use crate::layout::{Item, LaidOutPacket, PdfPageRef};

/// Decoded content of one page larger than this is refused (a decompression bomb).
const MAX_CONTENT_BYTES: usize = 256 << 20;
/// `/Parent` chains longer than this are treated as broken (a loop).
const MAX_TREE_DEPTH: usize = 64;

/// Where a page shows and how it turns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageGeometry {
    /// The CropBox (or MediaBox), as `[x0, y0, x1, y1]` with x0 < x1 and y0 < y1.
    pub crop: [f32; 4],
    /// Clockwise quarter turns of `/Rotate`.
    pub quarter_turns: u8,
}

impl PageGeometry {
    /// Width and height in points as the page stands upright.
    pub fn upright(&self) -> (f32, f32) {
        let (w, h) = (self.crop[2] - self.crop[0], self.crop[3] - self.crop[1]);
        if self.quarter_turns % 2 == 1 {
            (h, w)
        } else {
            (w, h)
        }
    }

    /// The form's `/Matrix`: the crop box turned clockwise by `/Rotate`, its lower-left
    /// corner at the origin.
    fn matrix(&self) -> [f32; 6] {
        let [x0, y0, x1, y1] = self.crop;
        match self.quarter_turns % 4 {
            0 => [1.0, 0.0, 0.0, 1.0, -x0, -y0],
            1 => [0.0, -1.0, 1.0, 0.0, -y0, x1],
            2 => [-1.0, 0.0, 0.0, -1.0, x1, y1],
            _ => [0.0, 1.0, -1.0, 0.0, y1, -x0],
        }
    }
}

/// The geometry of page `index` (0-based) of `doc`; None when there is no such page.
/// A missing or degenerate box falls back to the MediaBox, then to A4.
pub fn page_geometry(doc: &Document, index: usize) -> Option<PageGeometry> {
    let page = page_id(doc, index)?;
    let a4 = [0.0, 0.0, 595.276, 841.89];
    let media = inherited(doc, page, b"MediaBox")
        .and_then(|o| rectangle(doc, o))
        .unwrap_or(a4);
    let crop = inherited(doc, page, b"CropBox")
        .and_then(|o| rectangle(doc, o))
        .map(|c| intersect(c, media))
        .filter(|c| c[2] - c[0] > 1.0 && c[3] - c[1] > 1.0)
        .unwrap_or(media);
    let rotate = inherited(doc, page, b"Rotate")
        .and_then(|o| o.as_float().ok())
        .unwrap_or(0.0);
    // /Rotate is a multiple of 90, possibly negative; anything else is read as the nearest.
    let quarter_turns = ((rotate / 90.0).round() as i64).rem_euclid(4) as u8;
    Some(PageGeometry {
        crop,
        quarter_turns,
    })
}

fn page_id(doc: &Document, index: usize) -> Option<ObjectId> {
    let number = u32::try_from(index).ok()?.checked_add(1)?;
    doc.get_pages().get(&number).copied()
}

/// `key` of the page or of its nearest `/Pages` ancestor that has it.
fn inherited<'a>(doc: &'a Document, page: ObjectId, key: &[u8]) -> Option<&'a Object> {
    let mut node = doc.get_dictionary(page).ok()?;
    for _ in 0..MAX_TREE_DEPTH {
        if let Ok(value) = node.get(key) {
            return doc.dereference(value).ok().map(|(_, o)| o);
        }
        let parent = node.get(b"Parent").ok()?.as_reference().ok()?;
        node = doc.get_dictionary(parent).ok()?;
    }
    None
}

fn rectangle(doc: &Document, object: &Object) -> Option<[f32; 4]> {
    let array = object.as_array().ok()?;
    let mut v = [0.0f32; 4];
    if array.len() != 4 {
        return None;
    }
    for (slot, item) in v.iter_mut().zip(array) {
        *slot = doc.dereference(item).ok()?.1.as_float().ok()?;
    }
    // Boxes may name any two opposite corners.
    let [a, b, c, d] = v;
    Some([a.min(c), b.min(d), a.max(c), b.max(d)])
}

fn intersect(a: [f32; 4], b: [f32; 4]) -> [f32; 4] {
    [
        a[0].max(b[0]),
        a[1].max(b[1]),
        a[2].min(b[2]),
        a[3].min(b[3]),
    ]
}

/// The key an imported page is known by while one document is written (never written to
/// the file: the form's name is [`FormSet`]'s counter).
pub(super) fn form_key(page: &PdfPageRef) -> String {
    format!("form {:p} {}", Arc::as_ptr(&page.document), page.index)
}

/// The distinct imported pages of a packet, in order of first use, with their names and
/// geometry.
#[derive(Default)]
pub(super) struct FormSet {
    pages: Vec<(PdfPageRef, PageGeometry)>,
    pub names: BTreeMap<String, XObjectId>,
    pub sizes: BTreeMap<String, (f32, f32)>,
}

impl FormSet {
    /// Every page `packet` draws; a page used twice is one form.
    pub fn of(packet: &LaidOutPacket) -> Result<FormSet, PdfError> {
        let mut set = FormSet::default();
        let used = packet
            .pages
            .iter()
            .flat_map(|p| p.body.iter().chain(&p.furniture))
            .filter_map(|item| match item {
                Item::Form(form) => Some(&form.page),
                _ => None,
            });
        for page in used {
            let key = form_key(page);
            if set.names.contains_key(&key) {
                continue;
            }
            let geometry = page_geometry(&page.document, page.index).ok_or_else(|| {
                PdfError::Writer(format!(
                    "an imported PDF has no page {} (it has {})",
                    page.index + 1,
                    page.document.get_pages().len()
                ))
            })?;
            set.names
                .insert(key.clone(), XObjectId(format!("Fm{}", set.pages.len() + 1)));
            set.sizes.insert(key, geometry.upright());
            set.pages.push((page.clone(), geometry));
        }
        Ok(set)
    }

    /// Writes each page as a form XObject into `doc` and names it in the XObject
    /// dictionary printpdf shares between all pages.
    pub fn install(&self, doc: &mut Document) -> Result<(), PdfError> {
        if self.pages.is_empty() {
            return Ok(());
        }
        let dict_id = shared_xobject_dictionary(doc).ok_or_else(|| {
            PdfError::Writer("the pages have no shared XObject dictionary".into())
        })?;
        let mut copier = Copier::default();
        let mut entries = Vec::with_capacity(self.pages.len());
        for (page, geometry) in &self.pages {
            let form = form_stream(doc, &mut copier, page, geometry)?;
            let id = doc.add_object(form);
            entries.push((self.names[&form_key(page)].0.clone(), id));
        }
        let Ok(Object::Dictionary(xobjects)) = doc.get_object_mut(dict_id) else {
            return Err(PdfError::Writer(
                "the XObject resource is not a dictionary".into(),
            ));
        };
        for (name, id) in entries {
            xobjects.set(name, Object::Reference(id));
        }
        Ok(())
    }
}

fn shared_xobject_dictionary(doc: &Document) -> Option<ObjectId> {
    let (_, page) = doc.get_pages().into_iter().next()?;
    let resources = doc.get_dictionary(page).ok()?.get(b"Resources").ok()?;
    let resources = doc.dereference(resources).ok()?.1.as_dict().ok()?;
    resources.get(b"XObject").ok()?.as_reference().ok()
}

/// One page as a form: its content, its copied resources, upright by its matrix.
fn form_stream(
    target: &mut Document,
    copier: &mut Copier,
    page: &PdfPageRef,
    geometry: &PageGeometry,
) -> Result<Stream, PdfError> {
    let source = &*page.document;
    let page_id = page_id(source, page.index)
        .ok_or_else(|| PdfError::Writer(format!("no page {}", page.index + 1)))?;
    let resources = inherited(source, page_id, b"Resources")
        .map(|r| copier.copy(target, page, r))
        .unwrap_or_else(|| Object::Dictionary(Dictionary::new()));
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"XObject".to_vec()));
    dict.set("Subtype", Object::Name(b"Form".to_vec()));
    dict.set("BBox", numbers(&geometry.crop));
    dict.set("Matrix", numbers(&geometry.matrix()));
    dict.set("Resources", resources);
    if let Some(group) = source
        .get_dictionary(page_id)
        .ok()
        .and_then(|d| d.get(b"Group").ok())
    {
        let group = copier.copy(target, page, group);
        dict.set("Group", group);
    }
    let content = page_content(source, page_id, page.index)?;
    if let Some(filter) = content.filter {
        dict.set("Filter", filter);
    }
    if let Some(parms) = content.parms {
        dict.set("DecodeParms", parms);
    }
    Ok(Stream::new(dict, content.bytes))
}

fn numbers(values: &[f32]) -> Object {
    Object::Array(
        values
            .iter()
            .map(|v| Object::Real((v * 1000.0).round() / 1000.0))
            .collect(),
    )
}

/// A page's content as one stream: decoded and joined, or (a single stream lopdf cannot
/// decode) kept encoded with its filter.
struct Content {
    bytes: Vec<u8>,
    filter: Option<Object>,
    parms: Option<Object>,
}

fn page_content(doc: &Document, page: ObjectId, index: usize) -> Result<Content, PdfError> {
    let streams: Vec<&Stream> = doc
        .get_page_contents(page)
        .into_iter()
        .filter_map(|id| doc.get_object(id).ok()?.as_stream().ok())
        .collect();
    let mut bytes = Vec::new();
    for stream in &streams {
        let decoded = if stream.dict.has(b"Filter") {
            match stream.decompressed_content_with_limit(MAX_CONTENT_BYTES) {
                Ok(decoded) => decoded,
                Err(_) if streams.len() == 1 => {
                    return Ok(Content {
                        bytes: stream.content.clone(),
                        filter: stream.dict.get(b"Filter").ok().cloned(),
                        parms: stream.dict.get(b"DecodeParms").ok().cloned(),
                    })
                }
                Err(e) => {
                    return Err(PdfError::Writer(format!(
                        "page {} of an imported PDF has content that cannot be decoded: {e}",
                        index + 1
                    )))
                }
            }
        } else {
            stream.content.clone()
        };
        if bytes.len() + decoded.len() > MAX_CONTENT_BYTES {
            return Err(PdfError::Writer(format!(
                "page {} of an imported PDF has more than {} MB of content",
                index + 1,
                MAX_CONTENT_BYTES >> 20
            )));
        }
        bytes.extend_from_slice(&decoded);
        // Streams are joined as if one: a token may not run across the join.
        bytes.push(b'\n');
    }
    Ok(Content {
        bytes,
        filter: None,
        parms: None,
    })
}

/// Copies objects of source documents into the target, each object once per source
/// document, whichever page reaches it first.
#[derive(Default)]
struct Copier {
    /// Source object id → target object id, per source document (by identity).
    maps: HashMap<*const Document, HashMap<ObjectId, ObjectId>>,
}

impl Copier {
    /// A copy of `object` (from `page`'s document) whose references point at target
    /// objects; every object it reaches is copied too. Iterative, so a long chain of
    /// references cannot exhaust the stack.
    fn copy(&mut self, target: &mut Document, page: &PdfPageRef, object: &Object) -> Object {
        let source = &*page.document;
        let map = self.maps.entry(Arc::as_ptr(&page.document)).or_default();
        let mut pending = VecDeque::new();
        let copied = rewrite(object, target, map, &mut pending);
        while let Some((from, to)) = pending.pop_front() {
            let original = source.get_object(from).unwrap_or(&Object::Null);
            let copy = rewrite(original, target, map, &mut pending);
            target.objects.insert(to, copy);
        }
        copied
    }
}

/// `object` with its references mapped to target ids; references seen for the first time
/// get a new id and are queued for copying.
fn rewrite(
    object: &Object,
    target: &mut Document,
    map: &mut HashMap<ObjectId, ObjectId>,
    pending: &mut VecDeque<(ObjectId, ObjectId)>,
) -> Object {
    match object {
        Object::Reference(id) => {
            let new = *map.entry(*id).or_insert_with(|| {
                let new = target.new_object_id();
                // Reserve the id now: a later `new_object_id` must not hand it out again.
                target.objects.insert(new, Object::Null);
                pending.push_back((*id, new));
                new
            });
            Object::Reference(new)
        }
        Object::Array(items) => Object::Array(
            items
                .iter()
                .map(|o| rewrite(o, target, map, pending))
                .collect(),
        ),
        Object::Dictionary(dict) => Object::Dictionary(rewrite_dict(dict, target, map, pending)),
        Object::Stream(stream) => {
            let dict = rewrite_dict(&stream.dict, target, map, pending);
            let mut copy = Stream::new(dict, stream.content.clone());
            copy.allows_compression = stream.allows_compression;
            Object::Stream(copy)
        }
        other => other.clone(),
    }
}

/// A dictionary's entries rewritten, without `/Parent` (it leads back to the page tree).
fn rewrite_dict(
    dict: &Dictionary,
    target: &mut Document,
    map: &mut HashMap<ObjectId, ObjectId>,
    pending: &mut VecDeque<(ObjectId, ObjectId)>,
) -> Dictionary {
    let mut out = Dictionary::new();
    for (key, value) in dict.iter() {
        if key.as_slice() == b"Parent" {
            continue;
        }
        out.set(key.clone(), rewrite(value, target, map, pending));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    /// A two-page document whose /Pages node holds MediaBox, Rotate and Resources, the
    /// second page overriding Rotate and cropping.
    fn inheriting_document() -> Document {
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let font = doc.add_object(
            dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" },
        );
        let content = doc.add_object(Stream::new(
            Dictionary::new(),
            b"BT /F1 12 Tf 10 10 Td (hi) Tj ET".to_vec(),
        ));
        let first = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content,
        });
        let second = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content,
            "Rotate" => 0, "CropBox" => vec![10.into(), 20.into(), 110.into(), 220.into()],
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![first.into(), second.into()], "Count" => 2,
                "MediaBox" => vec![0.into(), 0.into(), 300.into(), 500.into()],
                "Rotate" => 90,
                "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        doc
    }

    #[test]
    fn boxes_and_rotation_are_inherited_from_the_page_tree() {
        let doc = inheriting_document();
        let first = page_geometry(&doc, 0).unwrap();
        assert_eq!(first.crop, [0.0, 0.0, 300.0, 500.0]);
        assert_eq!(first.quarter_turns, 1);
        assert_eq!(first.upright(), (500.0, 300.0));
        let second = page_geometry(&doc, 1).unwrap();
        assert_eq!(second.crop, [10.0, 20.0, 110.0, 220.0]);
        assert_eq!(second.quarter_turns, 0);
        assert!(page_geometry(&doc, 2).is_none());
    }

    #[test]
    fn the_matrix_maps_the_crop_box_onto_the_upright_page() {
        let apply = |m: [f32; 6], (x, y): (f32, f32)| {
            (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
        };
        for turns in 0..4u8 {
            let g = PageGeometry {
                crop: [10.0, 20.0, 110.0, 220.0],
                quarter_turns: turns,
            };
            let (w, h) = g.upright();
            let corners = [(10.0, 20.0), (110.0, 20.0), (110.0, 220.0), (10.0, 220.0)];
            let mapped: Vec<(f32, f32)> = corners.iter().map(|&c| apply(g.matrix(), c)).collect();
            for (x, y) in &mapped {
                assert!(
                    (0.0..=w).contains(x) && (0.0..=h).contains(y),
                    "{turns}: {mapped:?}"
                );
            }
            // The page's top-left corner goes where a clockwise turn puts it.
            let top_left = apply(g.matrix(), (10.0, 220.0));
            let expected = [(0.0, h), (w, h), (w, 0.0), (0.0, 0.0)][usize::from(turns)];
            assert_eq!(top_left, expected, "turns {turns}");
        }
    }

    #[test]
    fn shared_resources_are_copied_once_and_the_page_tree_never() {
        let source = Arc::new(inheriting_document());
        let mut target = Document::with_version("1.7");
        let mut copier = Copier::default();
        let pages: Vec<PdfPageRef> = (0..2)
            .map(|index| PdfPageRef {
                document: Arc::clone(&source),
                index,
            })
            .collect();
        let forms: Vec<Stream> = pages
            .iter()
            .map(|p| {
                let g = page_geometry(&source, p.index).unwrap();
                form_stream(&mut target, &mut copier, p, &g).unwrap()
            })
            .collect();
        // One font object, shared by both forms.
        assert_eq!(target.objects.len(), 1);
        let font = |s: &Stream| {
            s.dict
                .get(b"Resources")
                .unwrap()
                .as_dict()
                .unwrap()
                .get(b"Font")
                .unwrap()
                .as_dict()
                .unwrap()
                .get(b"F1")
                .unwrap()
                .clone()
        };
        assert_eq!(font(&forms[0]), font(&forms[1]));
        assert!(target
            .objects
            .values()
            .all(|o| o.as_dict().map_or(true, |d| !d.has(b"Parent"))));
        assert_eq!(forms[0].content, b"BT /F1 12 Tf 10 10 Td (hi) Tj ET\n");
    }
}
