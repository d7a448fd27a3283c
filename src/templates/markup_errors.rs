//! Turns a markup error in a rendered document into a diagnostic at the template line where
//! the offending text was written (the rendered line and the template line differ by every
//! `{% %}` above it), found by searching the template for the rendered text.

use crate::diag::{line_col, Diagnostic};
use crate::document::ParseError;

use super::{RenderedDocument, Templates};

/// A markup error, placed in the template where the offending text was written when it can
/// be found there (the rendered line and the template line differ by every `{% %}` above).
pub fn markup_diagnostic(
    templates: &Templates,
    rendered: &RenderedDocument,
    err: &ParseError,
) -> Diagnostic {
    let message = format!("the rendered document is not valid markup: {}", err.message);
    let hint = err.hint.clone().unwrap_or_else(|| {
        "templates/README.md (\"Document markup\") lists what is allowed".into()
    });
    located_diagnostic(templates, rendered, (err.line, err.column), message, hint)
}

/// `message` about the rendered `(line, column)` of `rendered`, placed in its template like
/// [`markup_diagnostic`] (used also for what a renderer cannot express).
pub fn located_diagnostic(
    templates: &Templates,
    rendered: &RenderedDocument,
    (line, column): (usize, usize),
    message: String,
    hint: String,
) -> Diagnostic {
    let file = templates.library().get(&rendered.template);
    let path = templates.path_of(&rendered.template);
    let line_text = rendered
        .text
        .lines()
        .nth(line.saturating_sub(1))
        .unwrap_or("");
    let found = file.and_then(|f| locate_line(&f.text, line_text, column));
    match found {
        Some((line, column)) => Diagnostic::new(path, message).at(line, column).hint(hint),
        None => Diagnostic::new(
            path,
            format!("{message} (line {line} of the rendered text: {line_text:?})"),
        )
        .hint(hint),
    }
}

/// Where in `template` the rendered `line` (error at `column`) was written: the whole trimmed
/// line, else the text from the error's column on.
fn locate_line(template: &str, line: &str, column: usize) -> Option<(usize, usize)> {
    let trimmed = line.trim();
    if !trimmed.is_empty() {
        if let Some(at) = template.find(trimmed) {
            let start = line_col(template, at);
            let lead = line.len() - line.trim_start().len();
            let col_chars = line[..floor(line, lead)].chars().count();
            let col = column.saturating_sub(col_chars).max(1);
            return Some((start.0, start.1 + col - 1));
        }
    }
    let from: String = line
        .chars()
        .skip(column.saturating_sub(1))
        .take(16)
        .collect();
    let from = from.trim();
    if from.len() < 3 {
        return None;
    }
    template.find(from).map(|at| line_col(template, at))
}

fn floor(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_error_is_found_in_the_template() {
        let template = "{% if x %}\n# T\n\nsome <foo> text\n";
        assert_eq!(locate_line(template, "some <foo> text", 6), Some((4, 6)));
        assert_eq!(locate_line(template, "zzz <foo> text", 5), Some((4, 6)));
    }
}
