//! Parses the built-in templates (`templates/documents/**.tera`) once, at build time, into
//! `$OUT_DIR/templates.bin` (see `src/templates/codec.rs`), so no run pays Tera's parser for
//! them. A built-in template that does not parse is left out: the program parses it at run
//! time and reports the error there, located, as it does for a user's template.

use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "src/templates/codec.rs"]
mod codec;

fn main() {
    let root = Path::new("templates/documents");
    println!("cargo:rerun-if-changed={}", root.display());
    println!("cargo:rerun-if-changed=src/templates/codec.rs");
    let mut files = Vec::new();
    collect(root, &mut files);
    files.sort();
    let templates: Vec<(u64, tera::Template)> = files
        .iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(path).ok()?;
            let name = path
                .strip_prefix("templates")
                .ok()?
                .to_str()?
                .replace('\\', "/");
            let template = tera::Template::new(&name, None, &text).ok()?;
            Some((codec::source_hash(&text), template))
        })
        .collect();
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("templates.bin"), codec::encode_all(&templates))
        .expect("OUT_DIR is writable");
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "tera") {
            out.push(path);
        }
    }
}
