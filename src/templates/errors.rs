//! Turns Tera errors into located diagnostics with a hint. Syntax errors carry a line and
//! column; runtime errors (an unknown variable, a filter given the wrong value) carry none,
//! so the construct they name is looked up in the template's text instead.

use std::path::PathBuf;

use crate::diag::{did_you_mean, line_col, Diagnostic};
use crate::library::Library;

const SYNTAX_HINT: &str = "check the Tera syntax here: every `{{` needs its `}}`, every \
`{% if %}`/`{% for %}` its `{% endif %}`/`{% endfor %}`, and strings need both quotes";
const VARIABLE_HINT: &str =
    "templates/README.md (\"Template variables\") lists every variable a template gets";

/// A diagnostic for `err`, at the template file and line it concerns. `ctx` (the variables
/// of a render) lets an unknown variable get a "did you mean".
pub(super) fn tera_diagnostic(
    library: &Library,
    err: &tera::Error,
    ctx: Option<&tera::Context>,
) -> Diagnostic {
    let chain = error_chain(err);
    let template = quoted_template_name(&chain);
    let file = template.as_deref().and_then(|t| library.get(t));
    let path = file.map_or_else(
        || PathBuf::from(template.clone().unwrap_or_else(|| "<templates>".into())),
        |f| f.display_path(),
    );
    let message = chain.replace('\n', " ").trim().to_string();
    let message = collapse_spaces(&message);
    if let Some((line, column)) = line_col_in(&chain) {
        return Diagnostic::new(path, message)
            .at(line, column)
            .hint(SYNTAX_HINT);
    }
    let construct = backticked(&chain);
    // The construct may sit in the template or in a macro file it imports.
    let located = construct.as_deref().and_then(|c| {
        let own = file.and_then(|f| find_in(&f.text, c).map(|lc| (f.display_path(), lc)));
        own.or_else(|| {
            library
                .files_under("documents/")
                .filter(|f| chain.contains(&format!("'{}'", f.name)) || chain.contains("macro"))
                .find_map(|f| find_in(&f.text, c).map(|lc| (f.display_path(), lc)))
        })
    });
    let hint = match (&construct, chain.contains("not found in context")) {
        (Some(var), true) => variable_hint(var, ctx),
        _ => VARIABLE_HINT.to_string(),
    };
    let diag = match located {
        Some((p, (line, column))) => Diagnostic::new(p, message).at(line, column),
        None => Diagnostic::new(path, message),
    };
    diag.hint(hint)
}

/// "did you mean" for a dotted variable path, from the keys the render actually had.
fn variable_hint(var: &str, ctx: Option<&tera::Context>) -> String {
    let Some(ctx) = ctx else {
        return VARIABLE_HINT.to_string();
    };
    let mut value = ctx.clone().into_json();
    let mut prefix = String::new();
    for segment in var.split('.') {
        let Some(map) = value.as_object() else { break };
        match map.get(segment) {
            Some(next) => {
                value = next.clone();
                prefix.push_str(segment);
                prefix.push('.');
            }
            None => {
                if let Some(close) = did_you_mean(segment, map.keys().map(String::as_str)) {
                    return format!("did you mean `{prefix}{close}`? {VARIABLE_HINT}");
                }
                let keys: Vec<&str> = map.keys().map(String::as_str).collect();
                return format!(
                    "`{segment}` is not one of: {}. {VARIABLE_HINT}",
                    keys.join(", ")
                );
            }
        }
    }
    VARIABLE_HINT.to_string()
}

/// The first line and column where `construct` occurs in `text`.
fn find_in(text: &str, construct: &str) -> Option<(usize, usize)> {
    text.find(construct).map(|at| line_col(text, at))
}

pub(super) fn error_chain(err: &tera::Error) -> String {
    let mut out = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

pub(super) fn quoted_template_name(chain: &str) -> Option<String> {
    let start = chain.find('\'')? + 1;
    let end = start + chain[start..].find('\'')?;
    Some(chain[start..end].to_string())
}

/// The first `…` in the chain: the variable, filter or macro an error is about.
fn backticked(chain: &str) -> Option<String> {
    let start = chain.find('`')? + 1;
    let end = start + chain[start..].find('`')?;
    let inner = chain[start..end].trim();
    (!inner.is_empty()).then(|| inner.to_string())
}

/// Tera's pest errors read ` --> 3:5`.
fn line_col_in(chain: &str) -> Option<(usize, usize)> {
    let at = chain.find("--> ")? + 4;
    let rest = &chain[at..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':'))
        .unwrap_or(rest.len());
    let (l, c) = rest[..end].split_once(':')?;
    Some((l.parse().ok()?, c.parse().ok()?))
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_constructs_and_positions() {
        assert_eq!(
            backticked("Variable `compnay.name` not found"),
            Some("compnay.name".into())
        );
        assert_eq!(line_col_in("x\n --> 3:5\n"), Some((3, 5)));
        assert_eq!(find_in("a\nb {{ x }}", "x }}"), Some((2, 6)));
    }
}
