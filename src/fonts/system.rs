//! Finds, among the fonts installed on the machine, a face for a character the packet's own
//! faces lack (a rare character of a name, such as 龑 U+9F91), nearest in style to the face
//! it stands beside: a Simplified Chinese face before other regions, the same kind of
//! design (serif 宋/明 beside a serif, sans 黑 beside a sans), the nearest weight, upright.
//!
//! `fontdb` (the font database of resvg and cosmic-text) finds the installed files — the
//! directories fontconfig lists on Linux, the Fonts folders on Windows and macOS — and reads
//! each face's names, weight and style; only the choice among them is made here. The scan
//! runs at most once per process, and only when some text has a character no configured
//! face has, so a packet without one never waits for it. Faces are considered in file path
//! and face index order, so the same machine always gives the same choice.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use super::Face;

/// A face's identity on the machine: its file and its index in the file (TTC collections
/// hold several).
pub type FaceKey = (PathBuf, u32);

/// The kind of design, as far as the names tell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Genre {
    Serif,
    Sans,
    Unknown,
}

/// The style a chain of faces asks of a stand-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Want {
    genre: Genre,
    weight: u16,
}

impl Want {
    /// What stands nearest to `face`: its genre (from its name) and its weight.
    pub fn of(face: &Face) -> Want {
        Want {
            genre: genre(&[face.name()]),
            weight: face.ttf().weight().to_number(),
        }
    }

    #[cfg(test)]
    pub fn new(genre: Genre, weight: u16) -> Want {
        Want { genre, weight }
    }
}

/// One installed face, as the scan found it.
pub struct Installed {
    id: fontdb::ID,
    path: PathBuf,
    index: u32,
    /// Family and weight ("Noto Serif CJK SC Bold"), for the packet's note and subset tags.
    name: String,
    genre: Genre,
    /// 0 Simplified Chinese, 1 unknown, 2 another region's forms (TC, HK, JP, KR).
    region: u8,
    weight: u16,
    italic: bool,
    face: OnceLock<Option<&'static Face>>,
}

impl Installed {
    pub fn key(&self) -> FaceKey {
        (self.path.clone(), self.index)
    }

    /// The parsed face, read once per process (its bytes live as long, like every face's).
    pub fn face(&self) -> Option<&'static Face> {
        *self.face.get_or_init(|| {
            let data = file_bytes(&self.path)?;
            let face = Face::parse(&self.name, data, self.index).ok()?;
            Some(&*Box::leak(Box::new(face)))
        })
    }

    /// Sort key, smaller is nearer to `want`; the file and index break ties.
    fn distance(&self, want: Want) -> (u8, u8, u16, bool, FaceKey) {
        let genre = match (self.genre, want.genre) {
            (a, b) if a == b => 0,
            (Genre::Unknown, _) | (_, Genre::Unknown) => 1,
            _ => 2,
        };
        (
            self.region,
            genre,
            self.weight.abs_diff(want.weight),
            self.italic,
            self.key(),
        )
    }
}

/// What [`faces_for`] found: per weight of [`Want`]s given, the faces to add to that chain,
/// nearest first; and the characters no installed face has.
pub struct Found {
    pub chains: [Vec<&'static Installed>; 2],
    pub missing: BTreeSet<char>,
}

/// For each of `wants` (regular, bold), the nearest installed face of every character in
/// `chars` that has one.
pub fn faces_for(chars: &BTreeSet<char>, wants: &[Want; 2]) -> Found {
    let system = system();
    let covering = covering_faces(system, chars);
    let missing = chars
        .iter()
        .filter(|ch| !covering.contains_key(ch))
        .copied()
        .collect();
    let chains = wants.map(|want| {
        let mut chosen: Vec<&'static Installed> = covering
            .values()
            .filter_map(|faces| faces.iter().copied().min_by_key(|f| f.distance(want)))
            .collect();
        chosen.sort_by_key(|f| f.distance(want));
        chosen.dedup_by_key(|f| f.key());
        chosen
    });
    Found { chains, missing }
}

/// The readable installed faces that have a glyph for each character (characters none has
/// are absent).
fn covering_faces(
    system: &'static System,
    chars: &BTreeSet<char>,
) -> BTreeMap<char, Vec<&'static Installed>> {
    let mut covering: BTreeMap<char, Vec<&'static Installed>> = BTreeMap::new();
    for installed in &system.faces {
        let has: Vec<char> = system
            .db
            .with_face_data(installed.id, |data, index| {
                let face = ttf_parser::Face::parse(data, index).ok()?;
                Some(
                    chars
                        .iter()
                        .copied()
                        .filter(|&ch| face.glyph_index(ch).is_some_and(|g| g.0 != 0))
                        .collect(),
                )
            })
            .flatten()
            .unwrap_or_default();
        // Only a face this process can read again is offered.
        if !has.is_empty() && installed.face().is_some() {
            for ch in has {
                covering.entry(ch).or_default().push(installed);
            }
        }
    }
    covering
}

struct System {
    db: fontdb::Database,
    /// In file path and face index order.
    faces: Vec<Installed>,
}

/// The machine's fonts, scanned on first use.
fn system() -> &'static System {
    static SYSTEM: OnceLock<System> = OnceLock::new();
    SYSTEM.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        let mut faces: Vec<Installed> = db.faces().filter_map(installed).collect();
        faces.sort_by_key(Installed::key);
        faces.dedup_by_key(|f| f.key());
        System { db, faces }
    })
}

fn installed(info: &fontdb::FaceInfo) -> Option<Installed> {
    let path = match &info.source {
        fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => path.clone(),
        fontdb::Source::Binary(_) => return None,
    };
    let names: Vec<&str> = info
        .families
        .iter()
        .map(|(name, _)| name.as_str())
        .chain([info.post_script_name.as_str()])
        .collect();
    let family = info
        .families
        .first()
        .map_or(info.post_script_name.as_str(), |(name, _)| name.as_str());
    let weight = info.weight.0;
    let name = match weight_name(weight) {
        Some(suffix) => format!("{family} {suffix}"),
        None => family.to_string(),
    };
    let chinese_name = info.families.iter().any(|(_, lang)| {
        matches!(
            lang,
            fontdb::Language::Chinese_PeoplesRepublicOfChina | fontdb::Language::Chinese_Singapore
        )
    });
    Some(Installed {
        id: info.id,
        path,
        index: info.index,
        name,
        genre: genre(&names),
        region: if chinese_name { 0 } else { region(&names) },
        weight,
        italic: info.style != fontdb::Style::Normal,
        face: OnceLock::new(),
    })
}

/// The weight's word when it is not the regular one.
fn weight_name(weight: u16) -> Option<&'static str> {
    match weight {
        0..=349 => Some("Light"),
        350..=449 => None,
        450..=649 => Some("Medium"),
        _ => Some("Bold"),
    }
}

/// The genre the names say: "Sans" first, since "Sans Serif" also says "Serif".
pub fn genre(names: &[&str]) -> Genre {
    let said = |words: &[&str]| {
        names.iter().any(|name| {
            let name = name.to_lowercase();
            words.iter().any(|w| name.contains(w))
        })
    };
    if said(&["sans", "hei", "gothic", "黑", "yahei", "dengxian", "等线"]) {
        Genre::Sans
    } else if said(&[
        "serif", "song", "sun", "ming", "mincho", "kai", "fang", "宋", "明", "楷", "仿",
    ]) {
        Genre::Serif
    } else {
        Genre::Unknown
    }
}

/// The region of a CJK face's forms from its name's region code, as in "Noto Serif CJK SC".
pub fn region(names: &[&str]) -> u8 {
    let codes = |name: &str| -> Vec<String> {
        name.split(|c: char| !c.is_ascii_alphanumeric())
            .map(str::to_ascii_uppercase)
            .collect()
    };
    let has = |wanted: &[&str]| {
        names.iter().any(|name| {
            codes(name)
                .iter()
                .any(|code| wanted.contains(&code.as_str()))
        })
    };
    if has(&["SC", "CN", "GB"]) {
        0
    } else if has(&["TC", "HK", "TW", "JP", "KR", "JA", "KO"]) {
        2
    } else {
        1
    }
}

/// A font file's bytes for the rest of the process, read once per file (a collection's
/// faces share them).
fn file_bytes(path: &Path) -> Option<&'static [u8]> {
    static FILES: Mutex<BTreeMap<PathBuf, &'static [u8]>> = Mutex::new(BTreeMap::new());
    let mut files = FILES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(bytes) = files.get(path) {
        return Some(bytes);
    }
    let bytes: &'static [u8] = Box::leak(std::fs::read(path).ok()?.into_boxed_slice());
    files.insert(path.to_path_buf(), bytes);
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake(path: &str, index: u32, names: &[&str], weight: u16) -> Installed {
        Installed {
            id: fontdb::ID::dummy(),
            path: PathBuf::from(path),
            index,
            name: names[0].to_string(),
            genre: genre(names),
            region: region(names),
            weight,
            italic: false,
            face: OnceLock::new(),
        }
    }

    #[test]
    fn genre_and_region_come_from_the_names() {
        assert_eq!(genre(&["Noto Serif CJK SC"]), Genre::Serif);
        assert_eq!(genre(&["Microsoft Sans Serif"]), Genre::Sans);
        assert_eq!(genre(&["SimSun-ExtB"]), Genre::Serif);
        assert_eq!(genre(&["Droid Sans Fallback"]), Genre::Sans);
        assert_eq!(genre(&["NotoSerifSC-Regular"]), Genre::Serif);
        assert_eq!(genre(&["Hanazono"]), Genre::Unknown);
        assert_eq!(region(&["Noto Serif CJK SC"]), 0);
        assert_eq!(region(&["Noto Serif CJK JP"]), 2);
        assert_eq!(region(&["Noto Sans Mono CJK TC"]), 2);
        // "SCRIPT" is no region code.
        assert_eq!(region(&["Segoe Script"]), 1);
    }

    #[test]
    fn the_nearest_face_is_simplified_chinese_then_same_genre_then_weight() {
        let serif_regular = Want::new(Genre::Serif, 400);
        let serif_bold = Want::new(Genre::Serif, 700);
        let faces = [
            fake("/a/NotoSansCJK-Regular.ttc", 2, &["Noto Sans CJK SC"], 400),
            fake("/a/NotoSerifCJK-Bold.ttc", 2, &["Noto Serif CJK SC"], 700),
            fake(
                "/a/NotoSerifCJK-Regular.ttc",
                0,
                &["Noto Serif CJK JP"],
                400,
            ),
            fake(
                "/a/NotoSerifCJK-Regular.ttc",
                2,
                &["Noto Serif CJK SC"],
                400,
            ),
            fake(
                "/b/DroidSansFallbackFull.ttf",
                0,
                &["Droid Sans Fallback"],
                400,
            ),
        ];
        let nearest = |want: Want| {
            faces
                .iter()
                .min_by_key(|f| f.distance(want))
                .map(|f| (f.path.to_string_lossy().into_owned(), f.index))
        };
        assert_eq!(
            nearest(serif_regular),
            Some(("/a/NotoSerifCJK-Regular.ttc".into(), 2))
        );
        assert_eq!(
            nearest(serif_bold),
            Some(("/a/NotoSerifCJK-Bold.ttc".into(), 2))
        );
        let sans = Want::new(Genre::Sans, 400);
        assert_eq!(
            nearest(sans),
            Some(("/a/NotoSansCJK-Regular.ttc".into(), 2))
        );
    }

    #[test]
    fn equal_faces_are_told_apart_by_file_and_index() {
        let want = Want::new(Genre::Serif, 400);
        let a = fake("/a/x.ttc", 1, &["Song A"], 400);
        let b = fake("/a/x.ttc", 0, &["Song B"], 400);
        assert!(b.distance(want) < a.distance(want));
    }
}
