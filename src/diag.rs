//! Turns problems in what the user wrote (company files, catalog files, templates) into
//! located diagnostics: file, line, column, field, message and a hint a clerk can act on.
//! Stages collect several before giving up; only the CLI prints them.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in a user-written file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// 1-based; 0 when the problem has no position (e.g. a missing file).
    pub line: usize,
    /// 1-based; 0 when unknown.
    pub column: usize,
    /// Dotted path of the field, e.g. `license[0].number`, when the problem belongs to one.
    pub field: Option<String>,
    pub message: String,
    pub hint: Option<String>,
    /// The spreadsheet cell the problem is in, for client books read from a workbook
    /// (then `line` and `column` are 0).
    /// Boxed: most diagnostics have none, and every `Result<_, Diagnostic>` carries the size.
    pub cell: Option<Box<CellRef>>,
}

/// A cell (or a whole row) of a workbook: `客户 › C7 (统一社会信用代码)`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CellRef {
    /// `None` for a CSV file, which has a single unnamed sheet.
    pub sheet: Option<String>,
    /// `C7`, or `row 7` when the problem belongs to the whole row.
    pub cell: String,
    /// The header of the cell's column, as written in the sheet.
    pub header: Option<String>,
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(sheet) = &self.sheet {
            write!(f, "{sheet} › ")?;
        }
        write!(f, "{}", self.cell)?;
        if let Some(header) = &self.header {
            write!(f, " ({header})")?;
        }
        Ok(())
    }
}

impl Diagnostic {
    pub fn new(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            line: 0,
            column: 0,
            field: None,
            message: shorten_quoted(&message.into()),
            hint: None,
            cell: None,
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        let field: String = field.into();
        // A field path holds the user's key, which may be as long as any value.
        self.field = Some(if field.chars().count() > QUOTE_LIMIT {
            field.chars().take(QUOTE_LIMIT).chain(['…']).collect()
        } else {
            field
        });
        self
    }

    /// Locates the problem in a spreadsheet cell instead of a line.
    pub fn in_cell(mut self, cell: CellRef) -> Self {
        self.line = 0;
        self.column = 0;
        self.cell = Some(Box::new(cell));
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(shorten_quoted(&hint.into()));
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(cell) = &self.cell {
            // A clerk reads the header, not the field path: `clients.xlsx › 客户 › C7 (…): …`.
            write!(f, " › {cell}: {}", self.message)?;
            if let Some(hint) = &self.hint {
                write!(f, "\n  hint: {hint}")?;
            }
            return Ok(());
        }
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        write!(f, ": error")?;
        if let Some(field) = &self.field {
            write!(f, " in field `{field}`")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Several diagnostics, as one error value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

/// Most diagnostics a terminal shows for one file: past this the file is usually the wrong
/// kind or generated wrongly, and the rest would only scroll the first ones away.
pub const SHOWN_DIAGNOSTICS: usize = 50;

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().take(SHOWN_DIAGNOSTICS).enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        let hidden = self.0.len().saturating_sub(SHOWN_DIAGNOSTICS);
        if hidden > 0 {
            write!(
                f,
                "\n… and {hidden} more problems in the same file; fix these first \
                 (for a company file, `licpack check --json FILE` lists them all)"
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Longest quoted value a diagnostic repeats in full, in characters.
const QUOTE_LIMIT: usize = 60;

/// Shortens every `"…"` quotation longer than [`QUOTE_LIMIT`] characters. Messages quote
/// what the user wrote so the clerk can find it; a pasted megabyte would bury the
/// location and the fix, and the line and column already point at the value.
pub fn shorten_quoted(text: &str) -> String {
    if text.len() <= QUOTE_LIMIT {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len().min(1024));
    let mut rest = text;
    while let Some(open) = rest.find('"') {
        out.push_str(&rest[..=open]);
        rest = &rest[open + 1..];
        let Some(close) = rest.find('"') else { break };
        let quoted = &rest[..close];
        let count = quoted.chars().count();
        if count > QUOTE_LIMIT {
            out.extend(quoted.chars().take(QUOTE_LIMIT - 20));
            out.push_str(&format!("…\" ({count} characters)"));
        } else {
            out.push_str(quoted);
            out.push('"');
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Maps a byte offset in `src` to a 1-based (line, column), column counted in characters.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = &src[..floor_char_boundary(src, offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Shortens a path for messages: relative to the current directory when possible.
pub fn display_path(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(|p| p.display().to_string()))
        .unwrap_or_else(|| path.display().to_string())
}

/// The closest candidate to `word` (for "did you mean"), if it is close enough to help.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column() {
        let src = "a = 1\nbb = \"北京\"\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 6), (2, 1));
        assert_eq!(line_col(src, 12), (2, 7));
    }

    #[test]
    fn long_quotations_are_shortened_short_ones_kept() {
        let long = "x".repeat(500);
        let d = Diagnostic::new(
            "a.toml",
            format!("unknown key \"{long}\"; did you mean \"name\""),
        )
        .hint(format!("write \"{long}\" without spaces"));
        assert_eq!(
            d.message,
            format!(
                "unknown key \"{}…\" (500 characters); did you mean \"name\"",
                "x".repeat(40)
            )
        );
        assert!(d.hint.unwrap().len() < 100);
        assert_eq!(shorten_quoted("an \"odd quote"), "an \"odd quote");
    }

    #[test]
    fn suggestion() {
        assert_eq!(
            did_you_mean("renewel", ["renewal", "reapplication"]),
            Some("renewal")
        );
        assert_eq!(did_you_mean("xyz", ["renewal"]), None);
    }

    #[test]
    fn display_has_location_field_and_hint() {
        let d = Diagnostic::new("c.toml", "bad")
            .at(3, 5)
            .field("company.uscc")
            .hint("fix it");
        assert_eq!(
            d.to_string(),
            "c.toml:3:5: error in field `company.uscc`: bad\n  hint: fix it"
        );
    }
}
