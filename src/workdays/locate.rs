//! Turns a dotted field of a calendar file (`holiday[6].workdays[1]`) into the byte offset
//! of its text. The catalog's span tree cannot be used here: toml gives no spans for date
//! values, and calendar files are mostly dates.

/// The offset of `field` in `text`, or of the nearest part of it that is found.
pub fn offset_of(text: &str, field: &str) -> usize {
    let mut at = 0;
    let mut section_end = text.len();
    for segment in field.split('.') {
        let (key, index) = match segment.strip_suffix(']').and_then(|s| s.split_once('[')) {
            Some((key, i)) => (key, i.parse::<usize>().ok()),
            None => (segment, None),
        };
        let header = format!("[[{key}]]");
        let found = match index {
            Some(i) if at == 0 => nth_line_starting(text, 0, text.len(), &header, i),
            _ => nth_line_starting(text, at, section_end, key, 0)
                .or_else(|| nth_line_starting(text, at, section_end, &header, 0)),
        };
        let Some(start) = found else { break };
        at = start;
        if index.is_some() && text[start..].starts_with(&header) {
            section_end = text[start + header.len()..]
                .find("\n[[")
                .map_or(text.len(), |e| start + header.len() + e);
        } else if let Some(i) = index {
            // An index into an inline array: the i-th date after the `=`.
            at = nth_date(text, start, i).unwrap_or(start);
        }
    }
    at
}

/// The start of the `n`th line in `from..to` whose text begins with `prefix` followed by a
/// space, `=` or the end of a header.
fn nth_line_starting(text: &str, from: usize, to: usize, prefix: &str, n: usize) -> Option<usize> {
    let mut offset = from;
    let mut seen = 0;
    for line in text[from..to].split_inclusive('\n') {
        let rest = line.strip_prefix(prefix);
        let matches =
            rest.is_some_and(|r| prefix.starts_with("[[") || r.trim_start().starts_with('='));
        if matches {
            if seen == n {
                return Some(offset);
            }
            seen += 1;
        }
        offset += line.len();
    }
    None
}

/// The `n`th `YYYY-MM-DD` on the line starting at `line_start`.
fn nth_date(text: &str, line_start: usize, n: usize) -> Option<usize> {
    let line = text[line_start..].lines().next()?;
    let re = regex::Regex::new(r"\d{4}-\d{2}-\d{2}").ok()?;
    let found = re.find_iter(line).nth(n).map(|m| line_start + m.start());
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "year = 2026\n\n[[notice]]\nnumber = \"n\"\ndate = 2025-11-04\n\n\
[[holiday]]\nfrom = 2026-01-01\nto = 2026-01-03\n\n[[holiday]]\nfrom = 2026-02-15\n\
to = 2026-02-23\nworkdays = [2026-02-14, 2026-02-28]\n";

    fn line_col(field: &str) -> (usize, usize) {
        crate::diag::line_col(TEXT, offset_of(TEXT, field))
    }

    #[test]
    fn finds_keys_tables_and_array_items() {
        assert_eq!(line_col("year"), (1, 1));
        assert_eq!(line_col("notice"), (3, 1));
        assert_eq!(line_col("notice[0].date"), (5, 1));
        assert_eq!(line_col("holiday[0].to"), (9, 1));
        assert_eq!(line_col("holiday[1].from"), (12, 1));
        assert_eq!(line_col("holiday[1].workdays[1]"), (14, 25));
        // A key missing from its table falls back to the table.
        assert_eq!(line_col("holiday[0].workdays[0]"), (7, 1));
    }
}
