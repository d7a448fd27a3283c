//! Turns spanned TOML nodes into typed field values (text, numbers, dates, lists), recording a
//! located diagnostic for each value that is missing, of the wrong type or badly written.
//! Hand-written so that one pass collects every problem of a file instead of serde's first.

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

use chrono::NaiveDate;

use super::node::{Node, Value};
use crate::diag::{line_col, Diagnostic};

/// Where diagnostics go while one file is validated.
pub(super) struct Ctx<'a> {
    text: &'a str,
    path: &'a Path,
    pub diagnostics: Vec<Diagnostic>,
    /// Fields an unknown key was probably meant to be: their absence is already explained.
    suggested: HashSet<String>,
}

impl<'a> Ctx<'a> {
    pub fn new(text: &'a str, path: &'a Path) -> Self {
        Ctx {
            text,
            path,
            diagnostics: Vec::new(),
            suggested: HashSet::new(),
        }
    }

    /// Records an error about `field`, located at the start of `span`.
    pub fn error(&mut self, span: &Range<usize>, field: &str, message: String, hint: String) {
        let (line, column) = line_col(self.text, span.start);
        let diagnostic = Diagnostic::new(self.path, message)
            .at(line, column)
            .field(field)
            .hint(hint);
        self.diagnostics.push(diagnostic);
    }

    /// Like [`Ctx::error`], but at `key` itself when it is written before the value on the
    /// value's line (so the column points at the misspelt key, not at its value).
    fn error_at_key(
        &mut self,
        key: &str,
        value: &Range<usize>,
        field: &str,
        message: String,
        hint: String,
    ) {
        let line_start = self.text[..value.start.min(self.text.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let before_value = self.text.get(line_start..value.start).unwrap_or_default();
        let at = before_value
            .find(key)
            .map_or(value.start, |i| line_start + i);
        self.error(&(at..at), field, message, hint);
    }

    fn wrong_type(&mut self, node: &Node, field: &str, wanted: &str, example: &str) {
        let message = format!("must be {wanted}, found {}", node.value.kind());
        self.error(
            &node.span,
            field,
            message,
            format!("write it like {example}"),
        );
    }
}

/// One TOML table being read: its dotted path and entries.
pub(super) struct Table<'n> {
    pub path: String,
    pub node: &'n Node,
    entries: &'n [(String, Node)],
}

impl<'n> Table<'n> {
    /// `node` as a table; records an error (and gives `None`) when it is something else.
    pub fn new(ctx: &mut Ctx, path: String, node: &'n Node, example: &str) -> Option<Self> {
        match &node.value {
            Value::Table(entries) => Some(Table {
                path,
                node,
                entries,
            }),
            _ => {
                ctx.wrong_type(node, &path, "a table", example);
                None
            }
        }
    }

    /// The dotted path of `key` in this table.
    pub fn field(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    pub fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, n)| n)
    }

    pub fn entries(&self) -> &'n [(String, Node)] {
        self.entries
    }

    /// Where `key`'s value was written, or the table itself when it is absent.
    pub fn span_of(&self, key: &str) -> Range<usize> {
        self.get(key).unwrap_or(self.node).span.clone()
    }

    /// The tables of `[[key]]` entries (none when absent); a single `[key]` is an error.
    pub fn array_of_tables(&self, ctx: &mut Ctx, key: &str) -> Option<Vec<Table<'n>>> {
        let Some(node) = self.get(key) else {
            return Some(Vec::new());
        };
        let Value::Array(items) = &node.value else {
            let hint =
                format!("write [[{key}]] with double brackets: each entry is one item of a list");
            let message = format!(
                "must be a list of [[{key}]] entries, found {}",
                node.value.kind()
            );
            ctx.error(&node.span, &self.field(key), message, hint);
            return None;
        };
        let example = format!("[[{key}]] followed by its lines");
        let tables: Vec<Option<Table>> = items
            .iter()
            .enumerate()
            .map(|(i, item)| Table::new(ctx, format!("{}[{i}]", self.field(key)), item, &example))
            .collect();
        tables.into_iter().collect()
    }

    /// Records an error for every key that is not in `allowed`.
    pub fn check_keys(&self, ctx: &mut Ctx, allowed: &[&str]) {
        for (key, node) in self.entries {
            if allowed.contains(&key.as_str()) {
                continue;
            }
            // A key already present is not what a misspelt one was meant to be.
            let absent = allowed.iter().copied().filter(|k| self.get(k).is_none());
            let (message, hint) = match super::suggest::closest(key, absent) {
                Some(near) => {
                    // The missing `near` is explained by this diagnostic; say it once.
                    ctx.suggested.insert(self.field(near));
                    let message = format!("unknown key; did you mean \"{near}\"");
                    (message, format!("rename `{key}` to `{near}`"))
                }
                None => (
                    format!("unknown key \"{key}\""),
                    format!(
                        "remove it; the keys allowed here are: {}",
                        allowed.join(", ")
                    ),
                ),
            };
            ctx.error_at_key(key, &node.span, &self.field(key), message, hint);
        }
    }

    /// The value of `key`, or an error at the table's header when it is absent.
    pub fn required(&self, ctx: &mut Ctx, key: &str, example: &str) -> Option<&'n Node> {
        let node = self.get(key);
        if node.is_none() && !ctx.suggested.contains(&self.field(key)) {
            let hint = format!("add the line `{key} = {example}` to this table");
            ctx.error(
                &self.node.span,
                &self.field(key),
                "required field missing".into(),
                hint,
            );
        }
        node
    }

    /// Required text field, checked as [`text`].
    pub fn required_text(&self, ctx: &mut Ctx, key: &str, example: &str) -> Option<String> {
        let node = self.required(ctx, key, &format!("\"{example}\""))?;
        text(ctx, &self.field(key), node, example)
    }

    /// Optional text field: `Ok(None)` when absent, `Err(())` when present but invalid.
    pub fn optional_text(
        &self,
        ctx: &mut Ctx,
        key: &str,
        example: &str,
    ) -> Result<Option<String>, ()> {
        match self.get(key) {
            None => Ok(None),
            Some(node) => text(ctx, &self.field(key), node, example)
                .map(Some)
                .ok_or(()),
        }
    }
}

/// A text value as written: one line, no control or invisible characters, no surrounding
/// spaces, not empty. Nothing is trimmed or dropped silently, since what is written here is
/// printed on signed documents.
pub(super) fn text(ctx: &mut Ctx, field: &str, node: &Node, example: &str) -> Option<String> {
    let Value::String(s) = &node.value else {
        ctx.wrong_type(node, field, "text in quotes", &format!("\"{example}\""));
        return None;
    };
    let problem = if s.trim().is_empty() {
        Some((
            "must not be empty".to_owned(),
            format!("write the value, e.g. \"{example}\""),
        ))
    } else if let Some(c) = s.chars().find(|c| is_line_break_or_control(*c)) {
        Some((
            format!("contains a control character ({})", describe_control(c)),
            "write the text on one line, without tabs or line breaks".to_owned(),
        ))
    } else if let Some((c, name)) = s.chars().find_map(|c| invisible_name(c).map(|n| (c, n))) {
        Some((
            format!(
                "contains an invisible character (U+{:04X} {name})",
                u32::from(c)
            ),
            "retype the value, or delete the character: it often comes along when text is \
             copied from a web page, Word or a spreadsheet"
                .to_owned(),
        ))
    } else if s.trim() != s {
        Some((
            "has spaces at the start or end".to_owned(),
            format!("write \"{}\" without the surrounding spaces", s.trim()),
        ))
    } else {
        None
    };
    match problem {
        Some((message, hint)) => {
            ctx.error(&node.span, field, message, hint);
            None
        }
        None => Some(s.clone()),
    }
}

/// Format characters (Unicode category Cf) that print nothing but change how text reads, sorts
/// or compares: a zero-width space splits a company name in a registry search, a bidi override
/// reorders what a clerk sees. Hand-listed because std has no Cf table; these are the ones
/// that occur in pasted text (the rest of Cf is obsolete or script-specific).
fn invisible_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{00AD}' => "SOFT HYPHEN",
        '\u{061C}' => "ARABIC LETTER MARK",
        '\u{180E}' => "MONGOLIAN VOWEL SEPARATOR",
        '\u{200B}' => "ZERO WIDTH SPACE",
        '\u{200C}' => "ZERO WIDTH NON-JOINER",
        '\u{200D}' => "ZERO WIDTH JOINER",
        '\u{200E}' => "LEFT-TO-RIGHT MARK",
        '\u{200F}' => "RIGHT-TO-LEFT MARK",
        '\u{202A}'..='\u{202E}' => "bidirectional embedding or override",
        '\u{2060}' => "WORD JOINER",
        '\u{2061}'..='\u{2064}' => "invisible mathematical operator",
        '\u{2066}'..='\u{2069}' => "bidirectional isolate",
        '\u{206A}'..='\u{206F}' => "deprecated format character",
        '\u{FEFF}' => "ZERO WIDTH NO-BREAK SPACE (byte-order mark)",
        '\u{FFF9}'..='\u{FFFB}' => "interlinear annotation",
        '\u{E0001}' | '\u{E0020}'..='\u{E007F}' => "tag character",
        _ => return None,
    })
}

/// Control characters and the Unicode line and paragraph separators, which break a line as
/// surely as `\n` does (a running header would end at one).
fn is_line_break_or_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

fn describe_control(c: char) -> String {
    let name = match c {
        '\n' => " line break",
        '\r' => " carriage return",
        '\t' => " tab",
        '\u{2028}' => " line separator",
        '\u{2029}' => " paragraph separator",
        _ => "",
    };
    format!("U+{:04X}{name}", u32::from(c))
}

/// A positive whole amount in yuan (`10000000`, no quotes), as registered capital is stated.
pub(super) fn yuan(ctx: &mut Ctx, field: &str, node: &Node) -> Option<u64> {
    if let Value::Integer(amount) = node.value {
        if let Ok(amount @ 1..) = u64::try_from(amount) {
            return Some(amount);
        }
    }
    let key = field.rsplit('.').next().unwrap_or(field);
    let hint = format!(
        "write the amount in yuan as a whole number without quotes, \
         e.g. {key} = 10000000 for 1000万元"
    );
    let message = "must be a positive integer amount in CNY".to_owned();
    ctx.error(&node.span, field, message, hint);
    None
}

/// A TOML date without time or offset (`2026-12-01`, no quotes).
pub(super) fn date(ctx: &mut Ctx, field: &str, node: &Node) -> Option<NaiveDate> {
    let unquoted = match &node.value {
        Value::Datetime(toml::value::Datetime {
            date: Some(d),
            time: None,
            offset: None,
        }) => {
            // The TOML parser has already rejected impossible days, so this is `Some`.
            let day =
                NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day));
            if day.is_some() {
                return day;
            }
            None
        }
        Value::Datetime(dt) => dt.date.map(|d| d.to_string()),
        Value::String(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .ok()
            .map(|d| d.to_string()),
        _ => None,
    };
    let hint = match unquoted {
        Some(day) => format!("write it as a TOML date, without quotes or time: `{day}`"),
        None => "write it as a TOML date, YYYY-MM-DD without quotes, e.g. 2026-12-01".to_owned(),
    };
    ctx.error(
        &node.span,
        field,
        format!("not a date (found {})", node.value.kind()),
        hint,
    );
    None
}

/// A list of text values, each checked as [`text`]; `None` if anything was wrong.
pub(super) fn text_list(
    ctx: &mut Ctx,
    field: &str,
    node: &Node,
    example: &str,
) -> Option<Vec<(String, Range<usize>)>> {
    let Value::Array(items) = &node.value else {
        ctx.wrong_type(node, field, "a list", &format!("[\"{example}\"]"));
        return None;
    };
    let mut out = Vec::with_capacity(items.len());
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        match text(ctx, &format!("{field}[{i}]"), item, example) {
            Some(s) => out.push((s, item.span.clone())),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::super::node::parse_tree;
    use super::*;

    /// Runs `read` on the value of `v = …` and returns its result and the diagnostics.
    fn read<T>(
        value: &str,
        read: impl Fn(&mut Ctx, &Node) -> Option<T>,
    ) -> (Option<T>, Vec<Diagnostic>) {
        let src = format!("v = {value}\n");
        let root = parse_tree(&src).unwrap();
        let Value::Table(entries) = &root.value else {
            panic!()
        };
        let mut ctx = Ctx::new(&src, Path::new("t.toml"));
        let out = read(&mut ctx, &entries[0].1);
        (out, ctx.diagnostics)
    }

    #[test]
    fn text_is_taken_as_written_or_rejected_with_a_reason() {
        let (ok, diags) = read("\"张伟\"", |c, n| text(c, "v", n, "x"));
        assert_eq!((ok.as_deref(), diags.len()), (Some("张伟"), 0));
        for (value, phrase) in [
            ("\"\"", "must not be empty"),
            ("\"  \"", "must not be empty"),
            ("\"a\\nb\"", "U+000A line break"),
            ("\"张伟\u{3000}\"", "spaces at the start or end"),
            ("\"张\u{200B}伟\"", "U+200B ZERO WIDTH SPACE"),
            ("\"张\u{2028}伟\"", "U+2028 line separator"),
            ("\"张伟\u{202E}\"", "U+202E bidirectional"),
            ("\"\u{FEFF}张伟\"", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
            ("\"张\u{00AD}伟\"", "U+00AD SOFT HYPHEN"),
            ("12", "must be text in quotes, found a whole number"),
        ] {
            let (out, diags) = read(value, |c, n| text(c, "v", n, "x"));
            assert!(out.is_none(), "{value}");
            assert!(
                diags[0].message.contains(phrase),
                "{value}: {}",
                diags[0].message
            );
            assert_eq!((diags[0].line, diags[0].column), (1, 5));
        }
    }

    #[test]
    fn dates_must_be_plain_toml_dates() {
        let (ok, _) = read("2026-11-10", |c, n| date(c, "v", n));
        assert_eq!(ok, NaiveDate::from_ymd_opt(2026, 11, 10));
        let (out, diags) = read("2026-11-10T09:00:00", |c, n| date(c, "v", n));
        assert!(out.is_none());
        assert!(diags[0].message.starts_with("not a date"));
        assert!(diags[0].hint.as_deref().unwrap().contains("`2026-11-10`"));
        let (_, diags) = read("\"next year\"", |c, n| date(c, "v", n));
        assert!(diags[0].hint.as_deref().unwrap().contains("YYYY-MM-DD"));
    }
}
