//! The upload rules of the online system per authority (`catalog/submission.toml`): one
//! default set from `domain.md` §12, each rule with its source and confidence, and
//! per-authority overrides that replace the default field by field. Only data: a province's
//! own rule is a catalog edit, never a code change.

use serde::{Deserialize, Serialize};

use super::Confidence;

/// One rule's value, where it comes from, and how sure that is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sourced<T> {
    pub value: T,
    pub source: String,
    #[serde(default)]
    pub confidence: Confidence,
}

/// A set of upload rules; in the default every field is given, in an override any subset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    #[serde(default)]
    pub max_images_per_slot: Option<Sourced<usize>>,
    #[serde(default)]
    pub max_file_bytes: Option<Sourced<u64>>,
    #[serde(default)]
    pub image_formats: Option<Sourced<Vec<String>>>,
    #[serde(default)]
    pub min_dpi: Option<Sourced<u32>>,
    #[serde(default)]
    pub letter_max_age_days: Option<Sourced<u32>>,
}

/// The rules of one authority that differ from the default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorityRules {
    /// A region id (`hunan`: its communications administration) or `miit`.
    pub authority: String,
    #[serde(flatten)]
    pub rules: RuleSet,
}

/// The whole file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    #[serde(default)]
    pub default: RuleSet,
    #[serde(default, rename = "authority")]
    pub authorities: Vec<AuthorityRules>,
}

/// The authority key of the ministry in `submission.toml`.
pub const MIIT: &str = "miit";

/// The names of a rule set's fields, for problems and the default's completeness check.
pub const FIELDS: [&str; 5] = [
    "max_images_per_slot",
    "max_file_bytes",
    "image_formats",
    "min_dpi",
    "letter_max_age_days",
];

impl RuleSet {
    /// The sources of the fields that are set, by field name.
    pub fn sources(&self) -> Vec<(&'static str, &str)> {
        [
            (
                FIELDS[0],
                self.max_images_per_slot.as_ref().map(|r| &*r.source),
            ),
            (FIELDS[1], self.max_file_bytes.as_ref().map(|r| &*r.source)),
            (FIELDS[2], self.image_formats.as_ref().map(|r| &*r.source)),
            (FIELDS[3], self.min_dpi.as_ref().map(|r| &*r.source)),
            (
                FIELDS[4],
                self.letter_max_age_days.as_ref().map(|r| &*r.source),
            ),
        ]
        .into_iter()
        .filter_map(|(field, source)| Some((field, source?)))
        .collect()
    }

    /// The confidence of the letter-age rule, when set.
    pub fn letter_age_confidence(&self) -> Option<Confidence> {
        self.letter_max_age_days.as_ref().map(|r| r.confidence)
    }

    /// `self` with every field `over` sets replaced by `over`'s.
    fn merged(&self, over: &RuleSet) -> RuleSet {
        fn pick<T: Clone>(base: &Option<T>, over: &Option<T>) -> Option<T> {
            over.clone().or_else(|| base.clone())
        }
        RuleSet {
            max_images_per_slot: pick(&self.max_images_per_slot, &over.max_images_per_slot),
            max_file_bytes: pick(&self.max_file_bytes, &over.max_file_bytes),
            image_formats: pick(&self.image_formats, &over.image_formats),
            min_dpi: pick(&self.min_dpi, &over.min_dpi),
            letter_max_age_days: pick(&self.letter_max_age_days, &over.letter_max_age_days),
        }
    }
}

impl Submission {
    /// The rules for filings with `authority` (a region id or [`MIIT`]): the default with
    /// that authority's entries laid over it, in file order.
    pub fn rules_for(&self, authority: &str) -> RuleSet {
        self.authorities
            .iter()
            .filter(|a| a.authority == authority)
            .fold(self.default.clone(), |set, a| set.merged(&a.rules))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sourced<T>(value: T, source: &str) -> Option<Sourced<T>> {
        Some(Sourced {
            value,
            source: source.into(),
            confidence: Confidence::M,
        })
    }

    #[test]
    fn an_authority_replaces_only_the_fields_it_gives() {
        let submission = Submission {
            default: RuleSet {
                max_images_per_slot: sourced(10, "S96"),
                max_file_bytes: sourced(5_242_880, "S96"),
                min_dpi: sourced(150, "common practice"),
                ..RuleSet::default()
            },
            authorities: vec![AuthorityRules {
                authority: "jiangsu".into(),
                rules: RuleSet {
                    max_file_bytes: sourced(2_097_152, "S101"),
                    ..RuleSet::default()
                },
            }],
        };
        let jiangsu = submission.rules_for("jiangsu");
        assert_eq!(jiangsu.max_file_bytes.as_ref().unwrap().value, 2_097_152);
        assert_eq!(jiangsu.max_file_bytes.as_ref().unwrap().source, "S101");
        assert_eq!(jiangsu.max_images_per_slot.as_ref().unwrap().value, 10);
        let hunan = submission.rules_for("hunan");
        assert_eq!(hunan.max_file_bytes.unwrap().value, 5_242_880);
    }
}
