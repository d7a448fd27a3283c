//! Turns the text of one HTML-like tag (as pulldown-cmark reports it) into one of our markup
//! extensions. Hand-written because the accepted language is tiny (six tag names, two
//! attributes) and every deviation must become a precise message rather than HTML leniency.

use super::{Align, CheckState};
use crate::diag::did_you_mean;

/// The effect of a `<div class="…">`: what it does to the blocks inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct DivStyle {
    pub align: Option<Align>,
    pub no_indent: bool,
    pub secondary: bool,
    pub signature: bool,
}

/// One recognised extension tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ExtTag {
    DivOpen(DivStyle),
    DivClose,
    PageBreak,
    EnOpen,
    EnClose,
    LineBreak,
    Check(CheckState),
}

/// Why a tag was refused: message plus an optional hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TagError {
    pub message: String,
    pub hint: Option<String>,
}

impl TagError {
    fn new(message: impl Into<String>, hint: Option<String>) -> Self {
        TagError {
            message: message.into(),
            hint,
        }
    }
}

const TAG_NAMES: [&str; 5] = ["div", "pagebreak", "en", "br", "check"];
const DIV_CLASSES: [&str; 7] = [
    "center",
    "right",
    "left",
    "justify",
    "noindent",
    "en",
    "signature",
];
const STATUSES: [&str; 4] = ["ready", "missing", "not-applicable", "open"];
const SUPPORTED: &str = "supported tags: <div class=\"…\">, </div>, <pagebreak/>, <en>…</en>, \
                         <br>, <check status=\"…\"/>";

/// A syntactically simple tag: `<name attr="value" …>`, `<name …/>` or `</name>`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RawTag {
    name: String,
    closing: bool,
    self_closing: bool,
    attrs: Vec<(String, String)>,
}

/// Recognises `text` (one complete tag, surrounding whitespace allowed) as an extension tag.
pub(super) fn recognise(text: &str) -> Result<ExtTag, TagError> {
    let text = text.trim();
    if text.starts_with("<!--") {
        return Err(TagError::new(
            "HTML comments are not part of the document markup",
            Some("use a Tera comment {# … #}, which leaves nothing in the output".into()),
        ));
    }
    let raw = parse_raw(text).ok_or_else(|| {
        TagError::new(
            format!("`{text}` is raw HTML, which the document markup does not accept"),
            Some(format!("{SUPPORTED}; attribute values need double quotes")),
        )
    })?;
    match raw.name.as_str() {
        "div" => div(&raw),
        "pagebreak" => {
            bare(&raw, ExtTag::PageBreak, None).map_err(|e| closing_hint(e, "<pagebreak/>"))
        }
        "en" => bare(&raw, ExtTag::EnOpen, Some(ExtTag::EnClose)),
        "br" => bare(&raw, ExtTag::LineBreak, None).map_err(|e| closing_hint(e, "<br>")),
        "check" => check(&raw),
        other => Err(unknown_tag(other)),
    }
}

fn unknown_tag(name: &str) -> TagError {
    let hint = match did_you_mean(name, TAG_NAMES) {
        Some(close) => format!("did you mean <{close}>? {SUPPORTED}"),
        None => SUPPORTED.to_string(),
    };
    TagError::new(format!("unknown tag <{name}>"), Some(hint))
}

fn closing_hint(mut e: TagError, form: &str) -> TagError {
    e.hint
        .get_or_insert_with(|| format!("write it as {form}; it has no closing tag"));
    e
}

/// Tags without attributes: `open` for `<x>`/`<x/>`, `close` for `</x>` when it exists.
fn bare(raw: &RawTag, open: ExtTag, close: Option<ExtTag>) -> Result<ExtTag, TagError> {
    if let Some((attr, _)) = raw.attrs.first() {
        return Err(TagError::new(
            format!("<{}> takes no attributes (found `{attr}`)", raw.name),
            None,
        ));
    }
    match (raw.closing, close) {
        (false, Some(_)) if raw.self_closing => Err(TagError::new(
            format!("<{}/> is empty; write <{0}>…</{0}>", raw.name),
            None,
        )),
        (false, _) => Ok(open),
        (true, Some(close)) => Ok(close),
        (true, None) => Err(TagError::new(
            format!("</{}> is not a tag of the markup", raw.name),
            None,
        )),
    }
}

fn div(raw: &RawTag) -> Result<ExtTag, TagError> {
    if raw.closing {
        return match raw.attrs.is_empty() {
            true => Ok(ExtTag::DivClose),
            false => Err(TagError::new("</div> takes no attributes", None)),
        };
    }
    if raw.self_closing {
        return Err(TagError::new(
            "<div/> is empty; write <div class=\"…\"> … </div>",
            None,
        ));
    }
    let classes = only_attr(raw, "class", &DIV_CLASSES)?;
    let mut style = DivStyle::default();
    for class in classes.split_whitespace() {
        apply_class(&mut style, class)?;
    }
    match style == DivStyle::default() {
        true => Err(TagError::new("<div> needs a class", Some(classes_hint()))),
        false => Ok(ExtTag::DivOpen(style)),
    }
}

fn classes_hint() -> String {
    format!("classes: {}", DIV_CLASSES.join(", "))
}

fn apply_class(style: &mut DivStyle, class: &str) -> Result<(), TagError> {
    let align = match class {
        "center" => Align::Center,
        "right" => Align::Right,
        "left" => Align::Left,
        "justify" => Align::Justify,
        "noindent" => {
            style.no_indent = true;
            return Ok(());
        }
        "en" => {
            style.secondary = true;
            return Ok(());
        }
        "signature" => {
            style.signature = true;
            return Ok(());
        }
        other => {
            let hint = match did_you_mean(other, DIV_CLASSES) {
                Some(close) => format!("did you mean \"{close}\"? {}", classes_hint()),
                None => classes_hint(),
            };
            return Err(TagError::new(
                format!("unknown div class \"{other}\""),
                Some(hint),
            ));
        }
    };
    if style.align.replace(align).is_some() {
        return Err(TagError::new(
            "a div can have only one alignment class",
            None,
        ));
    }
    Ok(())
}

fn check(raw: &RawTag) -> Result<ExtTag, TagError> {
    if raw.closing {
        let hint = "write <check status=\"ready\"/>; it has no closing tag".to_string();
        return Err(TagError::new(
            "</check> is not a tag of the markup",
            Some(hint),
        ));
    }
    let status = only_attr(raw, "status", &STATUSES)?;
    Ok(ExtTag::Check(match status.as_str() {
        "ready" => CheckState::Ready,
        "missing" => CheckState::Missing,
        "not-applicable" => CheckState::NotApplicable,
        "open" => CheckState::Open,
        other => {
            let hint = format!("statuses: {}", STATUSES.join(", "));
            return Err(TagError::new(
                format!("unknown check status \"{other}\""),
                Some(hint),
            ));
        }
    }))
}

/// The value of the tag's single attribute `name`; any other attribute is an error.
fn only_attr(raw: &RawTag, name: &str, values: &[&str]) -> Result<String, TagError> {
    let hint = || {
        Some(format!(
            "write <{} {name}=\"…\">, with one of: {}",
            raw.name,
            values.join(", ")
        ))
    };
    if let Some((other, _)) = raw.attrs.iter().find(|(a, _)| a != name) {
        return Err(TagError::new(
            format!("unknown attribute `{other}` on <{}>", raw.name),
            hint(),
        ));
    }
    match raw.attrs.as_slice() {
        [(_, value)] => Ok(value.clone()),
        [] => Err(TagError::new(
            format!("<{}> needs a `{name}` attribute", raw.name),
            hint(),
        )),
        _ => Err(TagError::new(
            format!("`{name}` is given twice on <{}>", raw.name),
            hint(),
        )),
    }
}

/// Parses `<name a="v" b='w'>`, `<name/>`, `</name>`; `None` for anything else (comments,
/// unquoted values, stray characters), which the caller reports as raw HTML.
fn parse_raw(text: &str) -> Option<RawTag> {
    let inner = text.strip_prefix('<')?.strip_suffix('>')?;
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let (self_closing, inner) = match inner.trim_end().strip_suffix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name_end = inner
        .find(|c: char| c.is_whitespace())
        .unwrap_or(inner.len());
    let name = &inner[..name_end];
    let valid_name = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !valid_name || (closing && self_closing) {
        return None;
    }
    let attrs = parse_attrs(&inner[name_end..])?;
    if closing && !attrs.is_empty() && name != "div" {
        return None;
    }
    Some(RawTag {
        name: name.to_ascii_lowercase(),
        closing,
        self_closing,
        attrs,
    })
}

/// `a="v" b='w'` → pairs; `None` when a value is missing or unquoted.
fn parse_attrs(mut rest: &str) -> Option<Vec<(String, String)>> {
    let mut attrs = Vec::new();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return Some(attrs);
        }
        let eq = rest.find('=')?;
        let name = rest[..eq].trim();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return None;
        }
        let after = rest[eq + 1..].trim_start();
        let quote = after.chars().next().filter(|q| *q == '"' || *q == '\'')?;
        let close = after[1..].find(quote)? + 1;
        attrs.push((name.to_ascii_lowercase(), unescape(&after[1..close])));
        rest = &after[close + 1..];
    }
}

/// Removes the backslashes `escape_text` puts before ASCII punctuation, so that
/// `<check status="{{ status }}"/>` works although Tera escapes the value (`not\-applicable`).
fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(&next) if c == '\\' && next.is_ascii_punctuation() => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_every_extension_tag() {
        let center = DivStyle {
            align: Some(Align::Center),
            ..DivStyle::default()
        };
        assert_eq!(
            recognise("<div class=\"center\">"),
            Ok(ExtTag::DivOpen(center))
        );
        assert_eq!(recognise("</div>\n"), Ok(ExtTag::DivClose));
        assert_eq!(recognise("<pagebreak/>"), Ok(ExtTag::PageBreak));
        assert_eq!(recognise("<pagebreak />"), Ok(ExtTag::PageBreak));
        assert_eq!(recognise("<en>"), Ok(ExtTag::EnOpen));
        assert_eq!(recognise("</en>"), Ok(ExtTag::EnClose));
        assert_eq!(recognise("<br>"), Ok(ExtTag::LineBreak));
        assert_eq!(recognise("<br/>"), Ok(ExtTag::LineBreak));
        assert_eq!(
            recognise("<check status='not-applicable'/>"),
            Ok(ExtTag::Check(CheckState::NotApplicable))
        );
        assert_eq!(
            recognise("<check\nstatus=\"open\" />"),
            Ok(ExtTag::Check(CheckState::Open))
        );
    }

    #[test]
    fn attribute_values_accept_escaped_data() {
        let escaped = crate::document::escape_text("not-applicable");
        let tag = format!("<check status=\"{escaped}\"/>");
        assert_eq!(
            recognise(&tag),
            Ok(ExtTag::Check(CheckState::NotApplicable))
        );
        assert_eq!(unescape("a\\\\b\\c\\-"), "a\\b\\c-");
    }

    #[test]
    fn several_classes_combine() {
        let want = DivStyle {
            align: Some(Align::Right),
            secondary: true,
            ..DivStyle::default()
        };
        assert_eq!(
            recognise("<div class=\"en right\">"),
            Ok(ExtTag::DivOpen(want))
        );
        assert!(recognise("<div class=\"left right\">").is_err());
    }

    #[test]
    fn refuses_unknown_names_classes_attributes_and_values() {
        let e = recognise("<chek status=\"ready\"/>").unwrap_err();
        assert_eq!(e.message, "unknown tag <chek>");
        assert!(e.hint.unwrap().starts_with("did you mean <check>?"));
        let e = recognise("<div class=\"centre\">").unwrap_err();
        assert_eq!(e.message, "unknown div class \"centre\"");
        assert!(e.hint.unwrap().contains("\"center\""));
        let e = recognise("<div class=\"center\" id=\"x\">").unwrap_err();
        assert_eq!(e.message, "unknown attribute `id` on <div>");
        let e = recognise("<check status=\"done\"/>").unwrap_err();
        assert_eq!(e.message, "unknown check status \"done\"");
        assert!(recognise("<check/>")
            .unwrap_err()
            .message
            .contains("needs a `status`"));
        assert!(recognise("<br class=\"x\">").is_err());
        assert!(recognise("</br>").is_err());
        assert!(recognise("<en/>").is_err());
    }

    #[test]
    fn refuses_raw_html_and_comments() {
        assert!(recognise("<!-- note -->")
            .unwrap_err()
            .hint
            .unwrap()
            .contains("{#"));
        assert!(recognise("<check status=ready/>")
            .unwrap_err()
            .message
            .contains("raw HTML"));
        assert!(recognise("<?php ?>").is_err());
    }
}
