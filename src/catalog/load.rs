//! Turns the catalog files of a [`Library`] (`catalog/licenses.toml`, `regions.toml`,
//! `letters.toml`, `sources.toml`, `submission.toml`, `procedures/*.toml`, `calendar/*.toml`) into a
//! [`Catalog`], or into every located problem found in them. Parsing is serde; positions of
//! problems found after parsing come from [`SpanTree`], because the catalog types themselves
//! carry none (calendar files, mostly dates, are located by their text instead).

use std::cell::OnceCell;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::check::{check, Part, Problem};
use super::spans::SpanTree;
use super::submission::Submission;
use super::{
    Catalog, Letter, NumberFormat, NumberKind, Procedure, Region, Service, SourceRef, Text,
};
use crate::diag::{line_col, Diagnostic, Diagnostics};
use crate::library::{Library, LibraryFile};
use crate::workdays::{check_year, offset_of, CalendarYear, Workdays};

const LICENSES: &str = "catalog/licenses.toml";
const REGIONS: &str = "catalog/regions.toml";
const LETTERS: &str = "catalog/letters.toml";
const SOURCES: &str = "catalog/sources.toml";
const SUBMISSION: &str = "catalog/submission.toml";
const PROCEDURES: &str = "catalog/procedures/";
const CALENDAR: &str = "catalog/calendar/";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LicensesFile {
    national_authority: Text,
    carrier: Text,
    #[serde(default)]
    number_kind: Vec<NumberKind>,
    #[serde(default)]
    service: Vec<Service>,
    #[serde(default)]
    number_format: Vec<NumberFormat>,
    /// Sources may sit here or in `sources.toml`.
    #[serde(default)]
    source: Vec<SourceRef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionsFile {
    #[serde(default)]
    region: Vec<Region>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LettersFile {
    #[serde(default)]
    letter: Vec<Letter>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcesFile {
    #[serde(default)]
    source: Vec<SourceRef>,
}

/// One parsed file: its value, where it came from, and where its parts are.
struct Parsed<'a, T> {
    value: T,
    file: &'a LibraryFile,
    /// Read only when a problem must be located: a second parse of the file, which would
    /// double the catalog's share of every start.
    spans: OnceCell<SpanTree>,
}

impl<T> Parsed<'_, T> {
    fn spans(&self) -> &SpanTree {
        self.spans.get_or_init(|| SpanTree::parse(&self.file.text))
    }
}

/// The built-in catalog, loaded once.
pub fn builtin() -> &'static Catalog {
    static BUILTIN: OnceLock<Catalog> = OnceLock::new();
    BUILTIN.get_or_init(|| {
        // The built-in catalog is checked by `tests::builtin_catalog_loads_cleanly`, so a
        // failure here is a build defect, not a user error.
        load(&Library::builtin()).expect("the built-in catalog is valid")
    })
}

/// Loads the catalog from `library` (built-ins with any user overrides), reporting every
/// syntax, schema and cross-reference problem with its file, line and field.
pub fn load(library: &Library) -> Result<Catalog, Diagnostics> {
    // The files parse side by side (a single `generate` waits for them); their problems are
    // gathered in the same order as a one-by-one reading would give.
    let ((mut diags, licenses, regions, letters, sources, submission), (procedures, calendar)) =
        rayon::join(
            || {
                let mut diags = Vec::new();
                let licenses = parse_required::<LicensesFile>(library, LICENSES, &mut diags);
                let regions = parse_required::<RegionsFile>(library, REGIONS, &mut diags);
                let letters = parse_required::<LettersFile>(library, LETTERS, &mut diags);
                let sources = library
                    .get(SOURCES)
                    .and_then(|f| parse_file::<SourcesFile>(f, &mut diags));
                let submission = library
                    .get(SUBMISSION)
                    .and_then(|f| parse_file::<Submission>(f, &mut diags));
                (diags, licenses, regions, letters, sources, submission)
            },
            || {
                let procedures = procedure_files(library);
                let mut diags = Vec::new();
                let calendar = calendar_years(library, &mut diags);
                (procedures, (calendar, diags))
            },
        );
    let (procedures, procedure_diags): (Vec<_>, Vec<_>) = procedures.into_iter().unzip();
    let procedures: Vec<Parsed<Procedure>> = procedures.into_iter().flatten().collect();
    diags.extend(procedure_diags.into_iter().flatten());
    let (calendar, calendar_diags) = calendar;
    diags.extend(calendar_diags);
    let (Some(licenses), Some(regions), Some(letters)) = (licenses, regions, letters) else {
        return Err(Diagnostics(diags));
    };
    if !diags.is_empty() {
        return Err(Diagnostics(diags));
    }
    let files = Files {
        licenses,
        regions,
        letters,
        sources,
        submission,
        procedures,
        calendar,
    };
    let catalog = files.assemble();
    // The built-in catalog cannot change after the build, and the test
    // `builtin_catalog_passes_every_check` holds it to every check; a run pays for the
    // cross-reference checks (and their pattern compiles) only when a user file took part.
    let problems = if library.is_customised() {
        check(&catalog)
    } else {
        Vec::new()
    };
    if problems.is_empty() {
        Ok(catalog)
    } else {
        Err(Diagnostics(
            problems.into_iter().map(|p| files.locate(p)).collect(),
        ))
    }
}

/// Every `procedures/*.toml`, parsed side by side, each with its own problems.
fn procedure_files(library: &Library) -> Vec<(Option<Parsed<'_, Procedure>>, Vec<Diagnostic>)> {
    use rayon::prelude::*;
    let files: Vec<&LibraryFile> = library
        .files_under(PROCEDURES)
        .filter(|f| f.name.ends_with(".toml"))
        .collect();
    files
        .par_iter()
        .map(|f| {
            let mut diags = Vec::new();
            (parse_file::<Procedure>(f, &mut diags), diags)
        })
        .collect()
}

fn parse_required<'a, T: DeserializeOwned>(
    library: &'a Library,
    name: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Parsed<'a, T>> {
    match library.get(name) {
        Some(file) => parse_file(file, diags),
        None => {
            let path = PathBuf::from(format!("<built-in>/{name}"));
            let hint = "restore the file, or remove your override directory's broken copy";
            diags.push(Diagnostic::new(path, "catalog file is missing").hint(hint));
            None
        }
    }
}

fn parse_file<'a, T: DeserializeOwned>(
    file: &'a LibraryFile,
    diags: &mut Vec<Diagnostic>,
) -> Option<Parsed<'a, T>> {
    match toml::from_str::<T>(&file.text) {
        Ok(value) => Some(Parsed {
            value,
            file,
            spans: OnceCell::new(),
        }),
        Err(err) => {
            diags.push(toml_diagnostic(file, &err));
            None
        }
    }
}

/// Every `catalog/calendar/YEAR.toml`, each checked on its own (its dates are facts of one
/// notice, not cross-references), problems located at their field.
fn calendar_years(library: &Library, diags: &mut Vec<Diagnostic>) -> Vec<CalendarYear> {
    let mut years = Vec::new();
    for file in library
        .files_under(CALENDAR)
        .filter(|f| f.name.ends_with(".toml"))
    {
        let Some(parsed) = parse_file::<CalendarYear>(file, diags) else {
            continue;
        };
        let stem = file
            .name
            .trim_start_matches(CALENDAR)
            .trim_end_matches(".toml");
        let problems = check_year(&parsed.value, stem);
        for p in &problems {
            let (line, column) = line_col(&file.text, offset_of(&file.text, &p.field));
            let diag = Diagnostic::new(file.display_path(), p.message.clone())
                .at(line, column)
                .field(p.field.clone())
                .hint(p.hint.clone());
            diags.push(diag);
        }
        if problems.is_empty() {
            years.push(parsed.value);
        }
    }
    years
}

/// A TOML syntax or schema error, at the position toml reports.
fn toml_diagnostic(file: &LibraryFile, err: &toml::de::Error) -> Diagnostic {
    let (line, column) = err
        .span()
        .map_or((0, 0), |span| line_col(&file.text, span.start));
    let message = err.message().trim().to_string();
    let hint = if message.starts_with("unknown field") {
        "check the spelling against the built-in catalog (`licpack templates eject`)"
    } else {
        "see the built-in catalog files for the expected layout"
    };
    Diagnostic::new(file.display_path(), message)
        .at(line, column)
        .hint(hint)
}

/// All parsed catalog files, kept until problems are located.
struct Files<'a> {
    licenses: Parsed<'a, LicensesFile>,
    regions: Parsed<'a, RegionsFile>,
    letters: Parsed<'a, LettersFile>,
    sources: Option<Parsed<'a, SourcesFile>>,
    /// Upload rules; without the file, the built-in figures of `UploadRules::default`.
    submission: Option<Parsed<'a, Submission>>,
    procedures: Vec<Parsed<'a, Procedure>>,
    /// Calendar years, each already checked on its own.
    calendar: Vec<CalendarYear>,
}

impl Files<'_> {
    /// The catalog; sources from `licenses.toml` come first, then those of `sources.toml`.
    fn assemble(&self) -> Catalog {
        let mut sources = self.licenses.value.source.clone();
        if let Some(extra) = &self.sources {
            sources.extend(extra.value.source.iter().cloned());
        }
        Catalog {
            national_authority: self.licenses.value.national_authority.clone(),
            carrier: self.licenses.value.carrier.clone(),
            number_kinds: self.licenses.value.number_kind.clone(),
            services: self.licenses.value.service.clone(),
            regions: self.regions.value.region.clone(),
            number_formats: self.licenses.value.number_format.clone(),
            procedures: self.procedures.iter().map(|p| p.value.clone()).collect(),
            letters: self.letters.value.letter.clone(),
            sources,
            submission: self
                .submission
                .as_ref()
                .map(|s| s.value.clone())
                .unwrap_or_default(),
            calendar: Workdays::new(&self.calendar),
        }
    }

    /// Turns a problem into a diagnostic at the file and position of the part it names.
    fn locate(&self, problem: Problem) -> Diagnostic {
        let (file, spans, field) = match problem.part {
            Part::Licenses => (self.licenses.file, self.licenses.spans(), problem.field),
            Part::Regions => (self.regions.file, self.regions.spans(), problem.field),
            Part::Letters => (self.letters.file, self.letters.spans(), problem.field),
            Part::Procedure(i) => (
                self.procedures[i].file,
                self.procedures[i].spans(),
                problem.field,
            ),
            Part::Source(i) => self.locate_source(i, &problem.field),
            Part::Submission => match &self.submission {
                Some(s) => (s.file, s.spans(), problem.field),
                // Problems of the submission rules only come from a parsed file.
                None => (self.licenses.file, self.licenses.spans(), problem.field),
            },
        };
        let (line, column) = spans
            .span_of(&field)
            .map_or((0, 0), |span| line_col(&file.text, span.start));
        let mut diag = Diagnostic::new(file.display_path(), problem.message)
            .at(line, column)
            .field(field);
        diag.hint = problem.hint;
        diag
    }

    /// Which file holds the `i`th source of the assembled catalog.
    fn locate_source(&self, i: usize, field: &str) -> (&LibraryFile, &SpanTree, String) {
        let in_licenses = self.licenses.value.source.len();
        match &self.sources {
            Some(sources) if i >= in_licenses => (
                sources.file,
                sources.spans(),
                format!("source[{}].{field}", i - in_licenses),
            ),
            _ => (
                self.licenses.file,
                self.licenses.spans(),
                format!("source[{i}].{field}"),
            ),
        }
    }
}
