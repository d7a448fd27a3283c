//! Judges inspected files against what their slot needs and the upload rules: colour scans
//! of originals, resolution, blank pages, licpack's own unsigned drafts, a letter's date.

use super::inspect::{problem, warning, Colour, Finding, Inspected};
use super::{DossierPlan, Slot};

/// The problems and warnings of `file` as material `slot` of `plan` (besides the file's own,
/// which stay in `file.findings`).
pub fn review(slot: &Slot, file: &Inspected, plan: &DossierPlan) -> Vec<Finding> {
    [
        colour(slot, file),
        resolution(file, plan.rules.min_dpi),
        blank_pages(file),
        unsigned_draft(slot, file),
        letter_age(slot, file, plan),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// 1-based numbers of the pages matching `test`, as "1, 3".
fn page_list(
    file: &Inspected,
    test: impl Fn(&super::inspect::PageFacts) -> bool,
) -> Option<String> {
    let pages: Vec<String> = (file.pages.iter().enumerate())
        .filter(|(_, p)| test(p))
        .map(|(i, _)| (i + 1).to_string())
        .collect();
    (!pages.is_empty()).then(|| pages.join(", "))
}

/// A file with colour on any page was scanned in colour: its other pages are black print on
/// white paper, which a colour scan shows as gray. Only a file without colour anywhere (a
/// gray scan, or a scan where the red seal is missing) is judged page by page.
fn colour(slot: &Slot, file: &Inspected) -> Option<Finding> {
    if !slot.colour_required || file.licpack_draft {
        return None;
    }
    if (file.pages.iter()).any(|p| matches!(p.colour, Colour::Rgb | Colour::Cmyk)) {
        return None;
    }
    let pages = page_list(file, |p| matches!(p.colour, Colour::Gray | Colour::Bilevel))?;
    let bilevel = file.pages.iter().any(|p| p.colour == Colour::Bilevel);
    let (code, kind) = if bilevel {
        ("bilevel", "black-and-white")
    } else {
        ("grayscale", "grayscale")
    };
    Some(problem(
        code,
        format!(
            "page {pages} is a {kind} scan, but this material needs a colour scan of the original \
             (a gray scan loses the red seal): scan it again in colour"
        ),
    ))
}

/// Whether `dpi` is under the minimum once rounded: an A4 page scanned at 150 dpi is
/// 1240 pixels wide, 149.98 dpi by the millimetre.
fn below(dpi: f32, min_dpi: u32) -> bool {
    dpi.round() < min_dpi as f32
}

fn resolution(file: &Inspected, min_dpi: u32) -> Option<Finding> {
    let low = file
        .pages
        .iter()
        .filter_map(|p| p.dpi_on_a4)
        .filter(|&dpi| below(dpi, min_dpi))
        .fold(None, |worst: Option<f32>, dpi| {
            Some(worst.map_or(dpi, |w| w.min(dpi)))
        })?;
    let pages = page_list(file, |p| p.dpi_on_a4.is_some_and(|d| below(d, min_dpi)))?;
    Some(warning(
        "low-dpi",
        format!(
            "page {pages} has only {:.0} dpi on A4 (at least {min_dpi} expected): scan it again \
             at {min_dpi} dpi or more if the authority cannot read it",
            low.floor()
        ),
    ))
}

fn blank_pages(file: &Inspected) -> Option<Finding> {
    let pages = page_list(file, |p| p.blank)?;
    Some(warning(
        "blank-page",
        format!("page {pages} looks blank: remove it, or check that the right side was scanned"),
    ))
}

fn unsigned_draft(slot: &Slot, file: &Inspected) -> Option<Finding> {
    (slot.letter && file.licpack_draft).then(|| {
        problem(
            "unsigned-draft",
            "this is licpack's own draft of the letter, not the signed and sealed copy: print it, \
             have it signed by the legal representative and sealed, and scan that in colour"
                .to_string(),
        )
    })
}

fn letter_age(slot: &Slot, file: &Inspected, plan: &DossierPlan) -> Option<Finding> {
    let dated = file.dated.filter(|_| slot.letter)?;
    let age = (plan.date - dated).num_days();
    (age > i64::from(plan.rules.letter_max_age_days)).then(|| {
        warning(
            "letter-date",
            format!(
                "the letter's file is dated {dated}, {age} days before submission on {}; by agency \
                 practice a letter is signed at most {} days before: have it signed again",
                plan.date, plan.rules.letter_max_age_days
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::catalog::Text;
    use crate::dossier::inspect::{Format, PageFacts};
    use crate::dossier::matching::SourceFile;
    use crate::dossier::rules::UploadRules;

    fn slot(colour_required: bool, letter: bool) -> Slot {
        Slot {
            number: 3,
            id: "commitment".into(),
            name: Text {
                zh: "承诺书".into(),
                en: "Commitment letter".into(),
            },
            aliases: Vec::new(),
            colour_required,
            copy: false,
            letter,
        }
    }

    fn plan(date: &str) -> DossierPlan {
        DossierPlan {
            company: "示例".into(),
            uscc: "91110000000000000X".into(),
            license: "B2-20210001".into(),
            procedure: Text {
                zh: "续期".into(),
                en: "Renewal".into(),
            },
            authority: Text {
                zh: "管理局".into(),
                en: "Authority".into(),
            },
            date: NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
            slots: Vec::new(),
            rules: UploadRules::default(),
            file_stem: "B2-20210001-renewal".into(),
        }
    }

    fn file(pages: Vec<PageFacts>, draft: bool, dated: Option<&str>) -> Inspected {
        Inspected {
            content: None,
            file: SourceFile {
                path: "x".into(),
                display: "03-承诺书.pdf".into(),
            },
            bytes: 1,
            format: Some(Format::Pdf),
            pages,
            licpack_draft: draft,
            dated: dated.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()),
            findings: Vec::new(),
        }
    }

    fn page(colour: Colour, dpi: Option<f32>, blank: bool) -> PageFacts {
        PageFacts {
            pixels: dpi.map(|_| (1000, 1400)),
            upright_pt: (595.0, 842.0),
            dpi_on_a4: dpi,
            colour,
            orientation: 1,
            blank,
        }
    }

    fn codes(findings: &[Finding]) -> Vec<&str> {
        findings.iter().map(|f| f.code).collect()
    }

    #[test]
    fn a_gray_scan_is_a_problem_only_where_colour_is_required() {
        let scan = file(vec![page(Colour::Gray, Some(300.0), false)], false, None);
        let found = review(&slot(true, false), &scan, &plan("2026-11-25"));
        assert_eq!(codes(&found), ["grayscale"]);
        assert!(found[0].message.contains("page 1"));
        assert!(review(&slot(false, false), &scan, &plan("2026-11-25")).is_empty());
    }

    #[test]
    fn a_colour_scan_with_a_page_of_black_print_is_not_a_gray_scan() {
        let scan = file(
            vec![
                page(Colour::Gray, Some(150.0), false),
                page(Colour::Rgb, Some(150.0), false),
            ],
            false,
            None,
        );
        assert!(review(&slot(true, false), &scan, &plan("2026-11-25")).is_empty());
        let gray = file(
            vec![
                page(Colour::Gray, Some(150.0), false),
                page(Colour::Bilevel, Some(150.0), false),
            ],
            false,
            None,
        );
        let found = review(&slot(true, false), &gray, &plan("2026-11-25"));
        assert_eq!(codes(&found), ["bilevel"]);
        assert!(
            found[0].message.contains("page 1, 2"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn low_resolution_and_blank_pages_are_warnings_with_the_numbers() {
        let scan = file(
            vec![
                page(Colour::Rgb, Some(300.0), false),
                page(Colour::Rgb, Some(96.4), true),
            ],
            false,
            None,
        );
        let found = review(&slot(false, false), &scan, &plan("2026-11-25"));
        assert_eq!(codes(&found), ["low-dpi", "blank-page"]);
        assert!(
            found[0].message.contains("page 2 has only 96 dpi"),
            "{}",
            found[0].message
        );
        assert!(found
            .iter()
            .all(|f| f.severity == crate::dossier::inspect::Severity::Warning));
    }

    #[test]
    fn a_letter_that_is_licpacks_draft_or_too_old_is_flagged() {
        let draft = file(
            vec![page(Colour::Vector, None, false)],
            true,
            Some("2026-11-24"),
        );
        assert_eq!(
            codes(&review(&slot(true, true), &draft, &plan("2026-11-25"))),
            ["unsigned-draft"]
        );
        let old = file(
            vec![page(Colour::Rgb, Some(300.0), false)],
            false,
            Some("2026-11-10"),
        );
        let found = review(&slot(true, true), &old, &plan("2026-11-25"));
        assert_eq!(codes(&found), ["letter-date"]);
        assert!(
            found[0].message.contains("15 days") && found[0].message.contains("agency practice")
        );
        let recent = file(
            vec![page(Colour::Rgb, Some(300.0), false)],
            false,
            Some("2026-11-15"),
        );
        assert!(review(&slot(true, true), &recent, &plan("2026-11-25")).is_empty());
    }
}
