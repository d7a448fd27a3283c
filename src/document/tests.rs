//! Tests of the whole parser: markup text in, blocks out (or a located error).

use super::*;

fn doc(src: &str) -> Vec<Block> {
    match parse(src, "t", DocumentKind::Letter) {
        Ok(d) => d.blocks,
        Err(e) => panic!("unexpected error {e} (hint: {:?})", e.hint),
    }
}

#[test]
fn smoke() {
    assert_eq!(doc("a\n").len(), 1);
}
