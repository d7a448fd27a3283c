//! Turns a catalog file's text into a tree of byte spans, so that a problem found after
//! parsing (a duplicate id, an unknown source key) can be reported at its line and column.
//! The serde types of the catalog carry no positions; rather than clutter every field with
//! `Spanned`, the file is read a second time into this position-only tree.

use std::fmt;
use std::ops::Range;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

/// Where every key and value of one TOML document is.
#[derive(Debug, Default)]
pub struct SpanTree {
    root: Vec<(String, Spanned<Node>)>,
}

#[derive(Debug)]
enum Node {
    Table(Vec<(String, Spanned<Node>)>),
    Array(Vec<Spanned<Node>>),
    Leaf,
}

impl SpanTree {
    /// The tree of `text`; an empty tree when the text does not parse (the typed parse reports
    /// that error itself).
    pub fn parse(text: &str) -> SpanTree {
        match toml::from_str::<Node>(text) {
            Ok(Node::Table(root)) => SpanTree { root },
            _ => SpanTree::default(),
        }
    }

    /// The span of the value at `path` (`materials[3].id`), or of its nearest ancestor that
    /// exists, so a missing field is reported where its table is.
    pub fn span_of(&self, path: &str) -> Option<Range<usize>> {
        let mut table = &self.root;
        let mut best = None;
        for segment in path.split('.') {
            let (key, index) = split_index(segment);
            let Some((_, node)) = table.iter().find(|(k, _)| k == key) else {
                break;
            };
            let node = match (index, node.get_ref()) {
                (Some(i), Node::Array(items)) => match items.get(i) {
                    Some(item) => item,
                    None => return Some(node.span()),
                },
                _ => node,
            };
            best = Some(node.span());
            match node.get_ref() {
                Node::Table(inner) => table = inner,
                _ => break,
            }
        }
        best
    }
}

/// `materials[3]` → (`materials`, Some(3)); `id` → (`id`, None).
fn split_index(segment: &str) -> (&str, Option<usize>) {
    match segment.strip_suffix(']').and_then(|s| s.split_once('[')) {
        Some((key, index)) => (key, index.parse().ok()),
        None => (segment, None),
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any TOML value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Node, E> {
        Ok(Node::Leaf)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Node, E> {
        Ok(Node::Leaf)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Node, E> {
        Ok(Node::Leaf)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Node, E> {
        Ok(Node::Leaf)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Node, E> {
        Ok(Node::Leaf)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Node>>()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            entries.push((key, map.next_value::<Spanned<Node>>()?));
        }
        Ok(Node::Table(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::line_col;

    const TEXT: &str = "id = \"x\"\n\n[[materials]]\nid = \"a\"\n\n[[materials]]\nid = \"b\"\nwhen = { services_any = [\"icp\"] }\n";

    fn line_of(path: &str) -> usize {
        let span = SpanTree::parse(TEXT).span_of(path).expect("path found");
        line_col(TEXT, span.start).0
    }

    #[test]
    fn finds_values_in_arrays_of_tables_and_inline_tables() {
        assert_eq!(line_of("id"), 1);
        assert_eq!(line_of("materials[0].id"), 4);
        assert_eq!(line_of("materials[1].id"), 7);
        assert_eq!(line_of("materials[1].when.services_any[0]"), 8);
    }

    #[test]
    fn missing_field_falls_back_to_its_table() {
        let tree = SpanTree::parse(TEXT);
        let table = tree.span_of("materials[1]").expect("table found");
        assert_eq!(tree.span_of("materials[1].source"), Some(table));
    }

    #[test]
    fn unparsable_text_gives_no_spans() {
        assert_eq!(SpanTree::parse("id = ").span_of("id"), None);
    }
}
