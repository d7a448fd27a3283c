//! Turns data text into markup that parses back to the same text (placeholder until the
//! document branch lands).

/// Backslash-escapes every ASCII punctuation character; control characters become spaces.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
            out.push(c);
        } else if c.is_control() {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}
