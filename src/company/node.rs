//! Turns company TOML text into a tree of values that each remember their byte span, so every
//! diagnostic — even "required field missing" and "unknown key" — can name a line.
//!
//! Hand-written rather than `toml::Spanned<T>` fields on `deny_unknown_fields` structs for two
//! reasons: serde stops at the first unknown or missing field, while a clerk needs every problem
//! of a file at once; and `Spanned` fails outright on tables that have no span of their own
//! (implicit tables made by dotted keys such as `contact.name = …`). The visitor below speaks the
//! same span protocol `toml::Spanned` uses, but accepts span-less values and fills their span in
//! from their children afterwards.

use std::fmt;
use std::ops::Range;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// The struct name and fields by which `toml` recognises a request for a value's span (the
/// protocol of `serde_spanned`, which `toml::Spanned` implements).
const SPANNED_NAME: &str = "$__serde_spanned_private_Spanned";
const SPANNED_START: &str = "$__serde_spanned_private_start";
const SPANNED_END: &str = "$__serde_spanned_private_end";
const SPANNED_VALUE: &str = "$__serde_spanned_private_value";
const SPANNED_FIELDS: [&str; 3] = [SPANNED_START, SPANNED_END, SPANNED_VALUE];
/// The single key under which `toml` hands a datetime to a visitor (as `toml::Value` reads it).
const DATETIME_KEY: &str = "$__toml_private_datetime";

/// One TOML value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Node {
    /// Byte range in the source; for a `[table]` it starts at the header.
    pub span: Range<usize>,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    String(String),
    Integer(i64),
    Float(f64),
    Boolean(bool),
    Datetime(toml::value::Datetime),
    Array(Vec<Node>),
    /// Entries in the order the parser hands them over.
    Table(Vec<(String, Node)>),
}

impl Value {
    /// What a clerk would call this kind of value, for "must be a date, found text" messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::String(_) => "text",
            Value::Integer(_) => "a whole number",
            Value::Float(_) => "a decimal number",
            Value::Boolean(_) => "true/false",
            Value::Datetime(dt) if dt.date.is_none() => "a time of day",
            Value::Datetime(dt) if dt.time.is_some() => "a date with a time",
            Value::Datetime(_) => "a date",
            Value::Array(_) => "a list",
            Value::Table(_) => "a table",
        }
    }
}

/// Parses `text` into a spanned tree; the error is the TOML parser's own (with its span).
pub(super) fn parse_tree(text: &str) -> Result<Node, toml::de::Error> {
    let raw: RawNode = toml::from_str(text)?;
    Ok(raw.resolve(&(0..0)))
}

/// A node as deserialized: the span is missing for implicit tables.
struct RawNode {
    span: Option<Range<usize>>,
    value: RawValue,
}

enum RawValue {
    Leaf(Value),
    Array(Vec<RawNode>),
    Table(Vec<(String, RawNode)>),
}

impl RawNode {
    fn unspanned(value: RawValue) -> Self {
        RawNode { span: None, value }
    }

    /// Gives every node a span: its own, else where its first child starts, else its parent's.
    fn resolve(self, parent: &Range<usize>) -> Node {
        let own = self.span.clone();
        let provisional = own.clone().unwrap_or_else(|| parent.clone());
        let value = match self.value {
            RawValue::Leaf(v) => v,
            RawValue::Array(items) => {
                Value::Array(items.into_iter().map(|n| n.resolve(&provisional)).collect())
            }
            RawValue::Table(entries) => Value::Table(
                entries
                    .into_iter()
                    .map(|(k, n)| (k, n.resolve(&provisional)))
                    .collect(),
            ),
        };
        let span = own
            .or_else(|| first_child_span(&value))
            .unwrap_or(provisional);
        Node { span, value }
    }
}

fn first_child_span(value: &Value) -> Option<Range<usize>> {
    match value {
        Value::Array(items) => items.iter().map(|n| n.span.clone()).min_by_key(|s| s.start),
        Value::Table(entries) => entries
            .iter()
            .map(|(_, n)| n.span.clone())
            .min_by_key(|s| s.start),
        _ => None,
    }
}

impl<'de> de::Deserialize<'de> for RawNode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct(SPANNED_NAME, &SPANNED_FIELDS, NodeVisitor)
    }
}

/// Reads the value inside a span wrapper; asking for a span again there would recurse forever.
struct InnerValue;

impl<'de> DeserializeSeed<'de> for InnerValue {
    type Value = RawNode;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<RawNode, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = RawNode;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a TOML value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<RawNode, E> {
        Ok(RawNode::unspanned(RawValue::Leaf(Value::String(
            v.to_owned(),
        ))))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<RawNode, E> {
        Ok(RawNode::unspanned(RawValue::Leaf(Value::String(v))))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawNode, E> {
        Ok(RawNode::unspanned(RawValue::Leaf(Value::Integer(v))))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawNode, E> {
        Ok(RawNode::unspanned(RawValue::Leaf(Value::Float(v))))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawNode, E> {
        Ok(RawNode::unspanned(RawValue::Leaf(Value::Boolean(v))))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawNode, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<RawNode>()? {
            items.push(item);
        }
        Ok(RawNode::unspanned(RawValue::Array(items)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawNode, A::Error> {
        let Some(first) = map.next_key::<String>()? else {
            return Ok(RawNode::unspanned(RawValue::Table(Vec::new())));
        };
        match first.as_str() {
            SPANNED_START => read_spanned(map),
            DATETIME_KEY => {
                let text: String = map.next_value()?;
                let datetime = text.parse().map_err(de::Error::custom)?;
                Ok(RawNode::unspanned(RawValue::Leaf(Value::Datetime(
                    datetime,
                ))))
            }
            _ => read_table(first, map),
        }
    }
}

/// The rest of a span wrapper, after its start key.
fn read_spanned<'de, A: MapAccess<'de>>(mut map: A) -> Result<RawNode, A::Error> {
    let start: usize = map.next_value()?;
    let (mut end, mut inner) = (None, None);
    while let Some(key) = map.next_key::<String>()? {
        match key.as_str() {
            SPANNED_END => end = Some(map.next_value::<usize>()?),
            SPANNED_VALUE => inner = Some(map.next_value_seed(InnerValue)?),
            other => return Err(de::Error::unknown_field(other, &SPANNED_FIELDS)),
        }
    }
    let inner: RawNode = inner.ok_or_else(|| de::Error::missing_field(SPANNED_VALUE))?;
    let end = end.ok_or_else(|| de::Error::missing_field(SPANNED_END))?;
    Ok(RawNode {
        span: Some(start..end),
        value: inner.value,
    })
}

fn read_table<'de, A: MapAccess<'de>>(first: String, mut map: A) -> Result<RawNode, A::Error> {
    let mut entries = vec![(first, map.next_value::<RawNode>()?)];
    while let Some(key) = map.next_key::<String>()? {
        let value = map.next_value::<RawNode>()?;
        entries.push((key, value));
    }
    Ok(RawNode::unspanned(RawValue::Table(entries)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry<'a>(node: &'a Node, key: &str) -> &'a Node {
        match &node.value {
            Value::Table(entries) => &entries.iter().find(|(k, _)| k == key).unwrap().1,
            other => panic!("not a table: {other:?}"),
        }
    }

    #[test]
    fn every_value_knows_where_it_was_written() {
        let src =
            "[company]\nname = \"x\"\ncontact.name = \"y\"\n\n[[license]]\nissued = 2021-12-01\n";
        let root = parse_tree(src).unwrap();
        let company = entry(&root, "company");
        assert_eq!(
            &src[company.span.start..company.span.start + 9],
            "[company]"
        );
        assert_eq!(&src[entry(company, "name").span.clone()], "\"x\"");
        // The implicit `contact` table takes the position of its first key.
        let contact = entry(company, "contact");
        assert_eq!(&src[contact.span.clone()], "\"y\"");
        let Value::Array(licenses) = &entry(&root, "license").value else {
            panic!()
        };
        assert_eq!(
            &src[licenses[0].span.start..licenses[0].span.start + 11],
            "[[license]]"
        );
        let issued = entry(&licenses[0], "issued");
        assert_eq!(&src[issued.span.clone()], "2021-12-01");
        assert!(matches!(issued.value, Value::Datetime(_)));
    }

    #[test]
    fn implicit_parent_of_a_header_gets_the_header_position() {
        let src = "a = 1\n[x.y]\nz = 2\n";
        let root = parse_tree(src).unwrap();
        assert_eq!(entry(&root, "x").span.start, 6);
    }

    #[test]
    fn syntax_errors_keep_the_parser_span() {
        let err = parse_tree("a = \"open\nb = 1\n").unwrap_err();
        assert!(err.span().is_some());
    }
}
