//! Turns a misspelt id into the id that was probably meant, for "did you mean" hints.
//! Extends `diag::did_you_mean` (Jaro–Winkler, good for typos) with an edit-distance fallback
//! for words that share little prefix, such as the old romanisation "peking" for "beijing".

use crate::diag::did_you_mean;

/// The candidate closest to `word`, if one is close enough to be worth suggesting.
pub(super) fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let candidates: Vec<&str> = candidates.into_iter().collect();
    did_you_mean(word, candidates.iter().copied()).or_else(|| nearest_by_edits(word, &candidates))
}

/// The single candidate with the fewest edits, when those are at most half the word's length;
/// a tie means no clear guess, so none is offered.
fn nearest_by_edits<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lowered = word.to_lowercase();
    let mut scored: Vec<(usize, &str)> = candidates
        .iter()
        .map(|c| (strsim::levenshtein(&lowered, c), *c))
        .collect();
    scored.sort();
    let limit = word.chars().count() / 2;
    match scored.as_slice() {
        [(best, c), (next, _), ..] if best <= &limit && best < next => Some(c),
        [(best, c)] if *best <= limit => Some(c),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGIONS: [&str; 6] = ["beijing", "henan", "jilin", "xizang", "shanghai", "shanxi"];

    #[test]
    fn typos_and_old_spellings() {
        assert_eq!(
            closest("renewel", ["renewal", "reapplication"]),
            Some("renewal")
        );
        assert_eq!(closest("peking", REGIONS), Some("beijing"));
        assert_eq!(closest("Peking", REGIONS), Some("beijing"));
        assert_eq!(closest("shanghia", REGIONS), Some("shanghai"));
    }

    #[test]
    fn nothing_when_nothing_is_close() {
        assert_eq!(closest("canton", REGIONS), None);
        assert_eq!(closest("xyz", ["renewal"]), None);
    }
}
