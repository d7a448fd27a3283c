//! Which templates a template needs before it can render: the files it names in
//! `{% extends %}`, `{% include %}` and `{% import %}` tags, followed to their own needs.
//! Tera itself only learns this by parsing, which is its slowest step; a scan of the tags is
//! enough to parse just the templates one packet renders (see [`super::Templates`]).
//! The same scan measures how deeply a template nests, since Tera's recursive parser would
//! overflow the stack (and abort the process) on a pathologically nested file.

use std::collections::{BTreeMap, BTreeSet};

/// The tags whose arguments name other templates.
const NAMING_TAGS: [&str; 3] = ["extends", "include", "import"];

/// Names quoted in the `extends`, `include` and `import` tags of `text`, in order.
pub fn named_templates(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{%") {
        let tag = &rest[start + 2..];
        let Some(end) = tag.find("%}") else { break };
        let body = tag[..end].trim_start_matches('-').trim_start();
        let keyword = body.split_whitespace().next().unwrap_or("");
        if NAMING_TAGS.contains(&keyword) {
            names.extend(quoted_strings(&body[keyword.len()..]));
        }
        rest = &tag[end + 2..];
    }
    names
}

/// Every string literal in `args`, in Tera's three quote styles.
fn quoted_strings(mut args: &str) -> Vec<String> {
    let mut out = Vec::new();
    while let Some(open) = args.find(['"', '\'', '`']) {
        let quote = args[open..].chars().next().unwrap_or('"');
        let after = &args[open + 1..];
        let Some(len) = after.find(quote) else { break };
        out.push(after[..len].to_string());
        args = &after[len + 1..];
    }
    out
}

/// How deep a template may nest blocks (`if`, `for`, `macro`, ...) plus brackets inside one
/// tag; far beyond any real template, far below what Tera's recursive parser survives.
pub const MAX_NESTING: usize = 48;

/// Block tags that open a level closed by their `end...` tag.
const OPENING_TAGS: [&str; 5] = ["if", "for", "macro", "block", "filter"];

/// The byte offset where `text` first nests deeper than [`MAX_NESTING`], if it does.
pub fn too_deep_at(text: &str) -> Option<usize> {
    let mut blocks = 0usize;
    let mut rest = text;
    let mut base = 0;
    while let Some(start) = rest.find("{%").into_iter().chain(rest.find("{{")).min() {
        let tag = &rest[start + 2..];
        let closer = if rest[start..].starts_with("{%") {
            "%}"
        } else {
            "}}"
        };
        let Some(end) = tag.find(closer) else { break };
        let body = tag[..end].trim_start_matches('-').trim_start();
        let keyword = body.split_whitespace().next().unwrap_or("");
        if closer == "%}" && OPENING_TAGS.contains(&keyword) {
            blocks += 1;
        } else if closer == "%}" && keyword.starts_with("end") {
            blocks = blocks.saturating_sub(1);
        }
        let mut brackets = 0usize;
        for (i, c) in tag[..end].char_indices() {
            match c {
                '(' | '[' => brackets += 1,
                ')' | ']' => brackets = brackets.saturating_sub(1),
                _ => {}
            }
            if blocks + brackets > MAX_NESTING {
                return Some(base + start + 2 + i);
            }
        }
        let consumed = start + 2 + end + 2;
        base += consumed;
        rest = &rest[consumed..];
    }
    None
}

/// `roots` and every template they need, transitively, among `sources` (name → text). A
/// name with no source is kept, so that Tera reports it as missing in its own words.
pub fn closure<'a>(
    roots: impl IntoIterator<Item = &'a str>,
    sources: &BTreeMap<String, String>,
) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut pending: Vec<String> = roots.into_iter().map(str::to_string).collect();
    while let Some(name) = pending.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(text) = sources.get(&name) {
            pending.extend(named_templates(text));
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_names_in_every_naming_tag_and_quote_style() {
        let text = r#"{% extends "base.tera" %}
{%- import 'macros.tera' as m -%}
{% include ["a.tera", `b.tera`] ignore missing %}
{% if x == "not-a-template" %}{{ "nor this" }}{% endif %}"#;
        assert_eq!(
            named_templates(text),
            ["base.tera", "macros.tera", "a.tera", "b.tera"]
        );
    }

    #[test]
    fn nesting_is_measured_over_blocks_and_brackets() {
        let nested = |blocks: usize, parens: usize| {
            "{% if a %}".repeat(blocks)
                + "{{ "
                + &"(".repeat(parens)
                + "1"
                + &")".repeat(parens)
                + " }}"
                + &"{% endif %}".repeat(blocks)
        };
        assert_eq!(too_deep_at(&nested(20, 20)), None);
        assert_eq!(too_deep_at(&nested(MAX_NESTING, 0)), None);
        let deep = nested(MAX_NESTING, 1);
        assert_eq!(too_deep_at(&deep), deep.find('('));
        // Closed blocks do not add up.
        assert_eq!(too_deep_at(&nested(30, 0).repeat(10)), None);
        for builtin in crate::library::Library::builtin().files_under("documents/") {
            assert_eq!(too_deep_at(&builtin.text), None, "{}", builtin.name);
        }
    }

    #[test]
    fn closure_follows_needs_and_keeps_missing_names() {
        let sources: BTreeMap<String, String> = [
            ("letter", r#"{% extends "base" %}"#),
            ("base", r#"{% import "macros" as m %}{% include "gone" %}"#),
            ("macros", "{% macro x() %}{% endmacro %}"),
            ("other", "unrelated"),
        ]
        .into_iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
        let needed: Vec<String> = closure(["letter"], &sources).into_iter().collect();
        assert_eq!(needed, ["base", "gone", "letter", "macros"]);
    }

    #[test]
    fn every_builtin_document_needs_only_what_exists() {
        let library = crate::library::Library::builtin();
        let sources: BTreeMap<String, String> = library
            .files_under("documents/")
            .map(|f| (f.name.clone(), f.text.clone()))
            .collect();
        for name in sources.keys() {
            for need in closure([name.as_str()], &sources) {
                assert!(sources.contains_key(&need), "{name} needs missing {need}");
            }
        }
        let checklist = closure([super::super::CHECKLIST_TEMPLATE], &sources);
        assert!(checklist.contains("documents/macros.md.tera"));
    }
}
