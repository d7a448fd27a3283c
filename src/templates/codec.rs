//! Turns parsed Tera templates into bytes and back, so the built-in templates are parsed once
//! at build time (`build.rs`) instead of at every start: Tera's parser costs about 2,000
//! instructions a byte, decoding its result a few. Hand-written because Tera's syntax tree
//! (`tera::ast`) has public fields but no serde support.
//!
//! Shared with `build.rs` (included there by path), so it names nothing of this crate. The
//! format is private to one build: a stale or foreign blob fails to decode or is rejected by
//! its source hash, and the caller then parses the source as before.

use std::collections::HashMap;

use tera::ast::{
    Block, Expr, ExprVal, FilterSection, Forloop, FunctionCall, If, In, LogicExpr, LogicOperator,
    MacroCall, MacroDefinition, MathExpr, MathOperator, Node, Set, StringConcat, Test, WS,
};
use tera::Template;

/// Bytes that are not what [`encode_all`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed;

/// FNV-1a of a template's source: ties a decoded template to the text it was parsed from.
pub fn source_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Writes `(source hash, template)` pairs.
pub fn encode_all(templates: &[(u64, Template)]) -> Vec<u8> {
    let mut out = Vec::new();
    (templates.len() as u64).put(&mut out);
    for (hash, template) in templates {
        hash.put(&mut out);
        template.name.put(&mut out);
        template.ast.put(&mut out);
        sorted(&template.macros).put(&mut out);
        template.imported_macro_files.put(&mut out);
        template.parent.put(&mut out);
        sorted(&template.blocks).put(&mut out);
    }
    out
}

/// Reads what [`encode_all`] wrote: each template as `Template::new` would have made it
/// from the source with that hash (parents and block definitions are Tera's to link).
pub fn decode_all(bytes: &[u8]) -> Result<Vec<(u64, Template)>, Malformed> {
    let mut input = Reader { bytes, at: 0 };
    let count = u64::get(&mut input)?;
    let mut templates = Vec::new();
    for _ in 0..count {
        let hash = u64::get(&mut input)?;
        let name = String::get(&mut input)?;
        let mut template = Template::new(&name, None, "").map_err(|_| Malformed)?;
        template.ast = Vec::get(&mut input)?;
        template.macros = Vec::<(String, MacroDefinition)>::get(&mut input)?
            .into_iter()
            .collect();
        template.imported_macro_files = Vec::get(&mut input)?;
        template.parent = Option::get(&mut input)?;
        template.blocks = Vec::<(String, Block)>::get(&mut input)?
            .into_iter()
            .collect();
        templates.push((hash, template));
    }
    if input.at == bytes.len() {
        Ok(templates)
    } else {
        Err(Malformed)
    }
}

/// Map entries in key order, so the same templates always give the same bytes.
fn sorted<V: Clone>(map: &HashMap<String, V>) -> Vec<(String, V)> {
    let mut entries: Vec<(String, V)> = map.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], Malformed> {
        let end = self.at.checked_add(n).ok_or(Malformed)?;
        let slice = self.bytes.get(self.at..end).ok_or(Malformed)?;
        self.at = end;
        Ok(slice)
    }

    fn tag(&mut self) -> Result<u8, Malformed> {
        Ok(self.take(1)?[0])
    }
}

/// A value that can be written and read back.
trait Codec: Sized {
    fn put(&self, out: &mut Vec<u8>);
    fn get(input: &mut Reader) -> Result<Self, Malformed>;
}

impl Codec for u64 {
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn get(input: &mut Reader) -> Result<Self, Malformed> {
        let bytes: [u8; 8] = input.take(8)?.try_into().map_err(|_| Malformed)?;
        Ok(u64::from_le_bytes(bytes))
    }
}

impl Codec for i64 {
    fn put(&self, out: &mut Vec<u8>) {
        (*self as u64).put(out);
    }
    fn get(input: &mut Reader) -> Result<Self, Malformed> {
        Ok(u64::get(input)? as i64)
    }
}

impl Codec for f64 {
    fn put(&self, out: &mut Vec<u8>) {
        self.to_bits().put(out);
    }
    fn get(input: &mut Reader) -> Result<Self, Malformed> {
        Ok(f64::from_bits(u64::get(input)?))
    }
}

impl Codec for bool {
    fn put(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self));
    }
    fn get(input: &mut Reader) -> Result<Self, Malformed> {
        match input.tag()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(Malformed),
        }
    }
}

impl Codec for String {
    fn put(&self, out: &mut Vec<u8>) {
        (self.len() as u64).put(out);
        out.extend_from_slice(self.as_bytes());
    }
    fn get(input: &mut Reader) -> Result<Self, Malformed> {
        let len = usize::try_from(u64::get(input)?).map_err(|_| Malformed)?;
        let bytes = input.take(len)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| Malformed)
    }
}

impl<T: Codec> Codec for Vec<T> {
    fn put(&self, out: &mut Vec<u8>) {
        (self.len() as u64).put(out);
        for item in self {
            item.put(out);
        }
    }
    fn get(input: &mut Reader) -> Result<Self, Malformed> {
        let len = u64::get(input)?;
        // Each item takes at least a byte: a corrupt length cannot reserve the world.
        if len > (input.bytes.len() - input.at) as u64 {
            return Err(Malformed);
        }
        (0..len).map(|_| T::get(input)).collect()
    }
}

impl<T: Codec> Codec for Option<T> {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            None => out.push(0),
            Some(v) => {
                out.push(1);
                v.put(out);
            }
        }
    }
    fn get(input: &mut Reader) -> Result<Self, Malformed> {
        match input.tag()? {
            0 => Ok(None),
            1 => Ok(Some(T::get(input)?)),
            _ => Err(Malformed),
        }
    }
}

impl<T: Codec> Codec for Box<T> {
    fn put(&self, out: &mut Vec<u8>) {
        (**self).put(out);
    }
    fn get(input: &mut Reader) -> Result<Self, Malformed> {
        Ok(Box::new(T::get(input)?))
    }
}

impl<A: Codec, B: Codec> Codec for (A, B) {
    fn put(&self, out: &mut Vec<u8>) {
        self.0.put(out);
        self.1.put(out);
    }
    fn get(input: &mut Reader) -> Result<Self, Malformed> {
        Ok((A::get(input)?, B::get(input)?))
    }
}

impl<A: Codec, B: Codec, C: Codec> Codec for (A, B, C) {
    fn put(&self, out: &mut Vec<u8>) {
        self.0.put(out);
        self.1.put(out);
        self.2.put(out);
    }
    fn get(input: &mut Reader) -> Result<Self, Malformed> {
        Ok((A::get(input)?, B::get(input)?, C::get(input)?))
    }
}

impl<V: Codec + Clone> Codec for HashMap<String, V> {
    fn put(&self, out: &mut Vec<u8>) {
        sorted(self).put(out);
    }
    fn get(input: &mut Reader) -> Result<Self, Malformed> {
        Ok(Vec::<(String, V)>::get(input)?.into_iter().collect())
    }
}

/// Codec for a struct with named fields, written in the order listed.
macro_rules! fields {
    ($ty:ident { $($field:ident),* }) => {
        impl Codec for $ty {
            fn put(&self, out: &mut Vec<u8>) {
                $(self.$field.put(out);)*
            }
            fn get(input: &mut Reader) -> Result<Self, Malformed> {
                Ok($ty { $($field: Codec::get(input)?),* })
            }
        }
    };
}

/// Codec for a fieldless enum, by position in the list.
macro_rules! unit_enum {
    ($ty:ident { $($variant:ident),* }) => {
        impl Codec for $ty {
            fn put(&self, out: &mut Vec<u8>) {
                let all = [$($ty::$variant),*];
                let index = all.iter().position(|v| v == self).unwrap_or(0);
                out.push(index as u8);
            }
            fn get(input: &mut Reader) -> Result<Self, Malformed> {
                let all = [$($ty::$variant),*];
                all.get(usize::from(input.tag()?)).copied().ok_or(Malformed)
            }
        }
    };
}

fields!(WS { left, right });
unit_enum!(MathOperator {
    Add,
    Sub,
    Mul,
    Div,
    Modulo
});
unit_enum!(LogicOperator {
    Gt,
    Gte,
    Lt,
    Lte,
    Eq,
    NotEq,
    And,
    Or
});
fields!(FunctionCall { name, args });
fields!(MathExpr { lhs, rhs, operator });
fields!(LogicExpr { lhs, rhs, operator });
fields!(StringConcat { values });
fields!(In { lhs, rhs, negated });
fields!(Expr {
    val,
    negated,
    filters
});
fields!(Test {
    ident,
    negated,
    name,
    args
});
fields!(FilterSection { filter, body });
fields!(Set { key, value, global });
fields!(MacroCall {
    namespace,
    name,
    args
});
fields!(MacroDefinition { name, args, body });
fields!(Block { name, body });
fields!(Forloop {
    key,
    value,
    container,
    body,
    empty_body
});
fields!(If {
    conditions,
    otherwise
});

impl Codec for ExprVal {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            ExprVal::String(v) => (0u8, v).put_tagged(out),
            ExprVal::Int(v) => (1u8, v).put_tagged(out),
            ExprVal::Float(v) => (2u8, v).put_tagged(out),
            ExprVal::Bool(v) => (3u8, v).put_tagged(out),
            ExprVal::Ident(v) => (4u8, v).put_tagged(out),
            ExprVal::Math(v) => (5u8, v).put_tagged(out),
            ExprVal::Logic(v) => (6u8, v).put_tagged(out),
            ExprVal::Test(v) => (7u8, v).put_tagged(out),
            ExprVal::MacroCall(v) => (8u8, v).put_tagged(out),
            ExprVal::FunctionCall(v) => (9u8, v).put_tagged(out),
            ExprVal::Array(v) => (10u8, v).put_tagged(out),
            ExprVal::StringConcat(v) => (11u8, v).put_tagged(out),
            ExprVal::In(v) => (12u8, v).put_tagged(out),
        }
    }
    fn get(input: &mut Reader) -> Result<Self, Malformed> {
        Ok(match input.tag()? {
            0 => ExprVal::String(Codec::get(input)?),
            1 => ExprVal::Int(Codec::get(input)?),
            2 => ExprVal::Float(Codec::get(input)?),
            3 => ExprVal::Bool(Codec::get(input)?),
            4 => ExprVal::Ident(Codec::get(input)?),
            5 => ExprVal::Math(Codec::get(input)?),
            6 => ExprVal::Logic(Codec::get(input)?),
            7 => ExprVal::Test(Codec::get(input)?),
            8 => ExprVal::MacroCall(Codec::get(input)?),
            9 => ExprVal::FunctionCall(Codec::get(input)?),
            10 => ExprVal::Array(Codec::get(input)?),
            11 => ExprVal::StringConcat(Codec::get(input)?),
            12 => ExprVal::In(Codec::get(input)?),
            _ => return Err(Malformed),
        })
    }
}

impl Codec for Node {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Node::Super => out.push(0),
            Node::Text(t) => (1u8, t).put_tagged(out),
            Node::VariableBlock(ws, e) => (2u8, &(*ws, e.clone())).put_tagged(out),
            Node::MacroDefinition(a, m, b) => (3u8, &(*a, m.clone(), *b)).put_tagged(out),
            Node::Extends(ws, name) => (4u8, &(*ws, name.clone())).put_tagged(out),
            Node::Include(ws, names, ignore) => {
                (5u8, &(*ws, names.clone(), *ignore)).put_tagged(out)
            }
            Node::ImportMacro(ws, file, ns) => {
                (6u8, &(*ws, file.clone(), ns.clone())).put_tagged(out)
            }
            Node::Set(ws, set) => (7u8, &(*ws, set.clone())).put_tagged(out),
            Node::Raw(a, text, b) => (8u8, &(*a, text.clone(), *b)).put_tagged(out),
            Node::FilterSection(a, f, b) => (9u8, &(*a, f.clone(), *b)).put_tagged(out),
            Node::Block(a, block, b) => (10u8, &(*a, block.clone(), *b)).put_tagged(out),
            Node::Forloop(a, f, b) => (11u8, &(*a, f.clone(), *b)).put_tagged(out),
            Node::If(i, ws) => (12u8, &(i.clone(), *ws)).put_tagged(out),
            Node::Break(ws) => (13u8, ws).put_tagged(out),
            Node::Continue(ws) => (14u8, ws).put_tagged(out),
            Node::Comment(ws, text) => (15u8, &(*ws, text.clone())).put_tagged(out),
        }
    }
    fn get(input: &mut Reader) -> Result<Self, Malformed> {
        Ok(match input.tag()? {
            0 => Node::Super,
            1 => Node::Text(Codec::get(input)?),
            2 => {
                let (ws, e) = Codec::get(input)?;
                Node::VariableBlock(ws, e)
            }
            3 => {
                let (a, m, b) = Codec::get(input)?;
                Node::MacroDefinition(a, m, b)
            }
            4 => {
                let (ws, name) = Codec::get(input)?;
                Node::Extends(ws, name)
            }
            5 => {
                let (ws, names, ignore) = Codec::get(input)?;
                Node::Include(ws, names, ignore)
            }
            6 => {
                let (ws, file, ns) = Codec::get(input)?;
                Node::ImportMacro(ws, file, ns)
            }
            7 => {
                let (ws, set) = Codec::get(input)?;
                Node::Set(ws, set)
            }
            8 => {
                let (a, text, b) = Codec::get(input)?;
                Node::Raw(a, text, b)
            }
            9 => {
                let (a, f, b) = Codec::get(input)?;
                Node::FilterSection(a, f, b)
            }
            10 => {
                let (a, block, b) = Codec::get(input)?;
                Node::Block(a, block, b)
            }
            11 => {
                let (a, f, b) = Codec::get(input)?;
                Node::Forloop(a, f, b)
            }
            12 => {
                let (i, ws) = Codec::get(input)?;
                Node::If(i, ws)
            }
            13 => Node::Break(Codec::get(input)?),
            14 => Node::Continue(Codec::get(input)?),
            15 => {
                let (ws, text) = Codec::get(input)?;
                Node::Comment(ws, text)
            }
            _ => return Err(Malformed),
        })
    }
}

/// A variant's tag followed by its payload.
trait PutTagged {
    fn put_tagged(self, out: &mut Vec<u8>);
}

impl<T: Codec> PutTagged for (u8, &T) {
    fn put_tagged(self, out: &mut Vec<u8>) {
        out.push(self.0);
        self.1.put(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(name: &str, text: &str) -> Template {
        Template::new(name, None, text).unwrap()
    }

    /// What `build.rs` wrote decodes to exactly what Tera parses from each built-in source.
    #[test]
    fn every_builtin_template_decodes_to_what_tera_parses() {
        let bytes = include_bytes!(concat!(env!("OUT_DIR"), "/templates.bin"));
        let decoded = decode_all(bytes).unwrap();
        let library = crate::library::Library::builtin();
        let builtins: Vec<_> = library.files_under("documents/").collect();
        assert_eq!(decoded.len(), builtins.len());
        for file in builtins {
            let (hash, template) = decoded
                .iter()
                .find(|(_, t)| t.name == file.name)
                .unwrap_or_else(|| panic!("{} was not precompiled", file.name));
            assert_eq!(*hash, source_hash(&file.text), "{}", file.name);
            let fresh = parsed(&file.name, &file.text);
            assert_eq!(template.ast, fresh.ast, "{}", file.name);
            assert_eq!(template.macros, fresh.macros, "{}", file.name);
            assert_eq!(template.imported_macro_files, fresh.imported_macro_files);
            assert_eq!(template.parent, fresh.parent);
            assert_eq!(template.blocks, fresh.blocks);
        }
    }

    /// Every construct of the syntax round-trips, not only those the built-ins use.
    #[test]
    fn every_construct_round_trips() {
        let base = parsed("base", "{% block body %}base{% endblock body %}");
        let text = r#"{% extends "base" %}{% import "m" as m %}
{% macro greet(name, n=1.5) %}{{ name ~ "!" | upper }}{% endmacro greet %}
{% block body %}{{ super() }}{% raw %}{{ raw }}{% endraw %}{# note #}
{%- set_global g = [1, 2.5, true, "s", x] -%}{% set y = not a and b or c >= 3 %}
{% for k, v in map | default(value=[]) %}{% if loop.first %}{% break %}{% elif v is defined %}{% continue %}{% else %}{{ k % 2 + 1 * 3 - 4 / 5 }}{% endif %}{% else %}none{% endfor %}
{% filter upper %}{{ m::x(a="b") }}{{ now() }}{{ "a" in list }}{{ x not in y }}{% endfilter %}
{% include ["a", "b"] ignore missing %}{% endblock body %}"#;
        let original = parsed("child", text);
        let bytes = encode_all(&[(7, original.clone()), (9, base.clone())]);
        let decoded = decode_all(&bytes).unwrap();
        assert_eq!(decoded.len(), 2);
        let (hash, back) = &decoded[0];
        assert_eq!(*hash, 7);
        assert_eq!(back.name, "child");
        assert_eq!(back.ast, original.ast);
        assert_eq!(back.macros, original.macros);
        assert_eq!(back.imported_macro_files, original.imported_macro_files);
        assert_eq!(back.parent, original.parent);
        assert_eq!(back.blocks, original.blocks);
        assert_eq!(decoded[1].1.blocks, base.blocks);
        // Deterministic: the same templates give the same bytes.
        assert_eq!(bytes, encode_all(&[(7, original), (9, base)]));
    }

    #[test]
    fn truncated_or_extended_bytes_are_refused() {
        let bytes = encode_all(&[(1, parsed("t", "{{ a | b(c=1) }}text"))]);
        for cut in 0..bytes.len() {
            assert_eq!(
                decode_all(&bytes[..cut]).err(),
                Some(Malformed),
                "cut at {cut}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode_all(&longer).err(), Some(Malformed));
    }
}
