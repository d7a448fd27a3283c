//! Fuzzes `document::parse`: any UTF-8 markup gives a document or a located error, never a
//! panic; a parsed document then lays out or fails with a clean `LayoutError`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use licpack::document::{self, DocumentKind, FooterLang, Packet, PacketMeta};
use licpack::fonts::FontBook;

fn meta() -> PacketMeta {
    PacketMeta {
        title: "fuzz".into(),
        author: String::new(),
        subject: String::new(),
        keywords: Vec::new(),
        lang: "zh-CN".into(),
        date: Default::default(),
        header: "fuzz".into(),
        footer_lang: FooterLang::Bilingual,
        brand: None,
    }
}

fuzz_target!(|input: (bool, &str)| {
    let (letter, src) = input;
    let kind = if letter {
        DocumentKind::Letter
    } else {
        DocumentKind::Checklist
    };
    match document::parse(src, "fuzz", kind) {
        Ok(doc) => {
            assert_eq!(doc.kind, kind);
            let packet = Packet {
                meta: meta(),
                documents: vec![doc],
            };
            // Uncovered characters are a clean error; anything else must lay out.
            let _ = licpack::layout::layout(&packet, FontBook::builtin());
        }
        Err(e) => {
            let lines = src.split('\n').count();
            assert!(e.line <= lines + 1, "line {} of {lines}: {e}", e.line);
        }
    }
});
