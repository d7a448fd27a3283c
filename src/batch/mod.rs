//! Turns a folder (or manifest) of company files into every client's packets, in parallel:
//! each client is isolated (an invalid file or a failing packet is reported and skipped),
//! writes are atomic, unchanged outputs are left alone, and `--shard K/N` picks a stable
//! subset so several machines can share one client book.
//!
//! A client with a materials folder (the one its company file names in `[client]`, else
//! [`materials_folder`] beside it, or the one a client book's column names) gets
//! its checklist's status column from that folder and its readiness in the summary; with
//! [`MaterialsOptions::dossier`] its dossier is built too, as the `dossier` command builds
//! it. A folder that cannot be read fails that client only; a broken file is its
//! material's problem.

mod inputs;
mod summary;

pub use inputs::{beside_materials_folder, discover, materials_folder, Input, InputError, Shard};
pub(crate) use summary::{problems_text, status_word};
pub use summary::{write_summaries, SummaryFiles};

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use crate::company::Company;
use crate::dossier::checklist::{self, Readiness};
use crate::dossier::{assemble, DossierPlan, FolderStatus};
use crate::formats::Format;
use crate::output::{packet_path, write_atomic, WriteOutcome};
use crate::packet::Engine;
use crate::plan::{plan, PacketPlan, Selection};
use crate::templates::Lang;

/// How a batch runs.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    pub out: PathBuf,
    /// Worker threads; `None` = one per core.
    pub jobs: Option<usize>,
    pub today: NaiveDate,
    pub lang: Lang,
    pub force: bool,
}

/// What a batch does with the clients' materials folders.
#[derive(Debug, Clone, Default)]
pub struct MaterialsOptions {
    /// Build each client's dossier (`batch --dossier`) from its materials folder, under
    /// `OUT/<company-dir>/<licence>-<procedure>/` as the `dossier` command does.
    pub dossier: bool,
    /// Choices for the bound copies.
    pub assemble: assemble::Options,
    /// Each input's materials folder, when the inputs say it (a client book's column), in
    /// input order; `None` to look beside each company file ([`materials_folder`]).
    pub folders: Option<Vec<Option<PathBuf>>>,
}

/// One row of the summary: a packet, or a client that failed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// The input file, relative to the batch input.
    pub input: String,
    pub company: String,
    pub uscc: String,
    pub license: String,
    pub procedure: String,
    pub status: RowStatus,
    pub next_deadline: Option<NaiveDate>,
    /// Label of the next deadline (Chinese / English).
    pub next_deadline_label: Option<String>,
    pub days_left: Option<i64>,
    pub path: Option<String>,
    pub error: Option<String>,
    /// Ids of the packet's materials marked missing (for `summary.xlsx`): by the materials
    /// folder when the client has one, else as typed in the company file.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_materials: Vec<String>,
    /// The client's materials folder, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub materials: Option<String>,
    /// What that folder holds: ready of total, what is missing, what has problems.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readiness: Option<Readiness>,
    /// The packet's dossier folder (`--dossier`), once written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dossier: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RowStatus {
    Written,
    Replaced,
    Unchanged,
    Failed,
}

/// Everything a batch did, rows sorted by input then licence and procedure.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BatchReport {
    pub rows: Vec<Row>,
}

impl BatchReport {
    pub fn count(&self, status: RowStatus) -> usize {
        self.rows.iter().filter(|r| r.status == status).count()
    }

    /// Inputs with at least one failure.
    pub fn failed_inputs(&self) -> usize {
        let mut failed: Vec<_> = self
            .rows
            .iter()
            .filter(|r| r.status == RowStatus::Failed)
            .map(|r| &r.input)
            .collect();
        failed.dedup();
        failed.len()
    }
}

/// Runs the batch writing PDFs; `on_done` is called (from worker threads) after each input.
pub fn run(
    engine: &Engine,
    inputs: &[Input],
    opts: &BatchOptions,
    on_done: &(dyn Fn(&Input, &[Row]) + Sync),
) -> BatchReport {
    run_with_formats(engine, inputs, opts, &[Format::Pdf], on_done)
}

/// Runs the batch writing each packet in every one of `formats`: one row per file, so the
/// counts and summaries count a DOCX like a PDF.
pub fn run_with_formats(
    engine: &Engine,
    inputs: &[Input],
    opts: &BatchOptions,
    formats: &[Format],
    on_done: &(dyn Fn(&Input, &[Row]) + Sync),
) -> BatchReport {
    let materials = MaterialsOptions::default();
    run_all(engine, inputs, None, (opts, formats, &materials), on_done)
}

/// Runs the batch on companies already loaded (one per input, e.g. the clients of a
/// spreadsheet), or the reason each could not be, writing every one of `formats`.
pub fn run_loaded(
    engine: &Engine,
    inputs: &[Input],
    loaded: &[Result<Company, String>],
    opts: &BatchOptions,
    formats: &[Format],
    on_done: &(dyn Fn(&Input, &[Row]) + Sync),
) -> BatchReport {
    let materials = MaterialsOptions::default();
    run_all(
        engine,
        inputs,
        Some(loaded),
        (opts, formats, &materials),
        on_done,
    )
}

/// Runs the batch: the companies of `inputs` (loaded here unless `loaded` has them), each
/// packet in every one of `formats`, with the clients' materials folders as `materials`
/// says.
pub fn run_all(
    engine: &Engine,
    inputs: &[Input],
    loaded: Option<&[Result<Company, String>]>,
    (opts, formats, materials): (&BatchOptions, &[Format], &MaterialsOptions),
    on_done: &(dyn Fn(&Input, &[Row]) + Sync),
) -> BatchReport {
    let mut rows = in_pool(opts.jobs, || {
        let loaded_here: Vec<Result<Company, String>>;
        let loaded = match loaded {
            Some(l) => l,
            None => {
                loaded_here = inputs.par_iter().map(|input| load(engine, input)).collect();
                &loaded_here
            }
        };
        build_all(engine, inputs, loaded, (opts, formats, materials), on_done)
    });
    sort_rows(&mut rows);
    BatchReport { rows }
}

/// Plans every loaded client, claims the packet paths, then builds each packet on the
/// current pool and writes it on one writer thread.
///
/// Writing waits for the disk (each file is synced before it is renamed into place, a
/// millisecond or more); on the writer thread that wait overlaps the next packets' work
/// instead of idling a worker. The queue is short, so a slow disk slows the workers rather
/// than piling packets up in memory.
fn build_all(
    engine: &Engine,
    inputs: &[Input],
    loaded: &[Result<Company, String>],
    (opts, formats, materials): (&BatchOptions, &[Format], &MaterialsOptions),
    on_done: &(dyn Fn(&Input, &[Row]) + Sync),
) -> Vec<Row> {
    let planned: Vec<(&Input, Result<Planned, String>)> = inputs
        .par_iter()
        .zip(loaded)
        .enumerate()
        .map(|(n, (input, company))| {
            let folder = match &materials.folders {
                Some(folders) => folders.get(n).cloned().flatten(),
                // A folder the company file names comes before the one found beside it.
                None => company
                    .as_ref()
                    .ok()
                    .and_then(|c| c.materials_folder.clone())
                    .or_else(|| materials_folder(&input.path)),
            };
            (input, prepare(engine, input, company, folder, opts))
        })
        .collect();
    let claims = claimed_paths(&planned);
    std::thread::scope(|scope| {
        let (queue, received) = std::sync::mpsc::sync_channel::<Built>(WRITE_QUEUE);
        let writer = scope.spawn(move || {
            let mut rows = Vec::new();
            for built in received {
                let written: Vec<Row> = built
                    .files
                    .into_iter()
                    .map(|file| file.write(built.input, opts.force))
                    .collect();
                on_done(built.input, &written);
                rows.extend(written);
            }
            rows
        });
        planned
            .par_iter()
            .enumerate()
            .for_each_with(queue, |queue, (n, (input, planned))| {
                let files = match planned {
                    Ok(planned) => process(
                        engine,
                        (n, input),
                        planned,
                        (opts, formats, materials),
                        &claims,
                    ),
                    Err(error) => vec![ToWrite::Failed(failed_row(input, error.clone()))],
                };
                // The writer only stops early by panicking, which `join` passes on.
                let _ = queue.send(Built { input, files });
            });
        writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Built packets waiting for the writer; a few per worker keep it busy.
const WRITE_QUEUE: usize = 16;

/// One input's outcome, handed from a worker to the writer.
struct Built<'a> {
    input: &'a Input,
    files: Vec<ToWrite>,
}

/// A file to write with the row it completes, or a row that failed before any file.
enum ToWrite {
    File {
        row: Row,
        path: PathBuf,
        bytes: Vec<u8>,
    },
    Failed(Row),
}

impl ToWrite {
    fn write(self, input: &Input, force: bool) -> Row {
        match self {
            ToWrite::File { row, path, bytes } => {
                let written = write_atomic(&path, &bytes, force);
                file_row(row, &path, written.map_err(|e| e.to_string()), input)
            }
            ToWrite::Failed(row) => row,
        }
    }
}

fn sort_rows(rows: &mut [Row]) {
    rows.sort_by(|a, b| {
        (&a.input, &a.license, &a.procedure).cmp(&(&b.input, &b.license, &b.procedure))
    });
}

/// Runs `work` on a pool of `jobs` threads, or on the global pool.
fn in_pool<T: Send>(jobs: Option<usize>, work: impl FnOnce() -> T + Send) -> T {
    match jobs.and_then(|n| rayon::ThreadPoolBuilder::new().num_threads(n).build().ok()) {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// The company of `input`, or why it is invalid (located diagnostics).
fn load(engine: &Engine, input: &Input) -> Result<Company, String> {
    engine
        .load_company(&input.path)
        .map_err(|diags| diags.to_string())
}

/// A client ready to build: its company, each packet's plan with the path it will write,
/// and its materials folder.
struct Planned<'a> {
    company: &'a Company,
    packets: Vec<(PacketPlan<'a>, PathBuf)>,
    materials: Option<PathBuf>,
}

/// Plans every packet of a loaded company, or says why the client fails.
fn prepare<'a>(
    engine: &'a Engine,
    input: &Input,
    company: &'a Result<Company, String>,
    materials: Option<PathBuf>,
    opts: &BatchOptions,
) -> Result<Planned<'a>, String> {
    let company = company.as_ref().map_err(Clone::clone)?;
    let plans = plan(company, &engine.catalog, opts.today, &Selection::default())
        .map_err(|e| format!("{}: {e}", input.path.display()))?;
    let packets = plans
        .into_iter()
        .map(|p| {
            let path = packet_path(&opts.out, company, &p.file_stem);
            (p, path)
        })
        .collect();
    Ok(Planned {
        company,
        packets,
        materials,
    })
}

/// For each packet path, the inputs (position and name) that would write it.
type Claims<'a> = HashMap<&'a Path, Vec<(usize, &'a str)>>;

/// Which inputs would write each packet path. Two files for the same company, licence and
/// procedure (a copy kept beside the original, say) would race for one file and one would
/// silently win; claiming the paths first lets both be refused, whatever the scheduling.
fn claimed_paths<'a>(planned: &'a [(&'a Input, Result<Planned<'a>, String>)]) -> Claims<'a> {
    let mut claims: Claims = HashMap::new();
    for (n, (input, planned)) in planned.iter().enumerate() {
        let Ok(planned) = planned else { continue };
        for (_, path) in &planned.packets {
            claims.entry(path).or_default().push((n, &input.rel));
        }
    }
    claims
}

/// One client: read its materials folder (building the dossier with `--dossier`), build
/// every planned packet in memory, then write them (each format's file gets its own row).
fn process(
    engine: &Engine,
    (n, input): (usize, &Input),
    planned: &Planned,
    (opts, formats, materials): (&BatchOptions, &[Format], &MaterialsOptions),
    claims: &Claims,
) -> Vec<ToWrite> {
    let company = planned.company;
    planned
        .packets
        .iter()
        .flat_map(|(p, path)| {
            let mut row = Row {
                input: input.rel.clone(),
                company: company.info.name.clone(),
                uscc: company.info.uscc.clone(),
                license: p.license.number.clone(),
                procedure: p.procedure.id.clone(),
                status: RowStatus::Failed,
                next_deadline: None,
                next_deadline_label: None,
                days_left: None,
                path: None,
                error: None,
                missing_materials: p
                    .materials
                    .iter()
                    .filter(|m| {
                        m.status
                            .is_some_and(|s| s.state == crate::company::MaterialState::Missing)
                    })
                    .map(|m| m.material.id.clone())
                    .collect(),
                materials: planned
                    .materials
                    .as_deref()
                    .map(crate::output::portable_display),
                readiness: None,
                dossier: None,
            };
            if let Some(d) = p.next_deadline() {
                row.next_deadline = Some(d.date);
                row.next_deadline_label = Some(format!("{} / {}", d.label.zh, d.label.en));
                row.days_left = Some(d.days_left);
            }
            // A packet another input would also write is refused before its folder is read,
            // so no dossier is written for it either.
            if let Err(e) = unclaimed(path, n, claims) {
                return vec![ToWrite::Failed(file_row(row, path, Err(e), input))];
            }
            let mut with_folder = None;
            if let Some(folder) = &planned.materials {
                match folder_facts(engine, company, p, folder, (opts, materials)) {
                    Ok(facts) => {
                        let mut p = p.clone();
                        checklist::apply(&mut p, facts.statuses);
                        row.readiness = checklist::readiness(&p);
                        if let Some(r) = &row.readiness {
                            row.missing_materials =
                                r.missing.iter().map(|m| m.id.clone()).collect();
                        }
                        match facts.dossier {
                            Some(Ok(dir)) => {
                                row.dossier = Some(crate::output::portable_display(&dir))
                            }
                            Some(Err(e)) => {
                                row.error = Some(format!("{}: {e}", input.path.display()))
                            }
                            None => {}
                        }
                        with_folder = Some(p);
                    }
                    Err(e) => return vec![ToWrite::Failed(file_row(row, path, Err(e), input))],
                }
            }
            let p = with_folder.as_ref().unwrap_or(p);
            let built = engine
                .build_formats(p, opts.lang, formats)
                .map_err(|e| e.to_string());
            match built {
                Ok(outputs) => outputs
                    .into_iter()
                    .map(|o| ToWrite::File {
                        row: row.clone(),
                        path: o.format.path(path),
                        bytes: o.bytes,
                    })
                    .collect(),
                Err(e) => vec![ToWrite::Failed(file_row(row, path, Err(e), input))],
            }
        })
        .collect()
}

/// What a packet's materials folder holds, and with `--dossier` where its dossier was
/// written (or why it could not be).
struct FolderFacts {
    statuses: Vec<FolderStatus>,
    dossier: Option<Result<PathBuf, String>>,
}

/// Reads `folder` for packet `p`: the full dossier run with `--dossier` (its report gives
/// the statuses, so no file is read twice), else matching and inspection only. `Err` when
/// the folder or its manifest cannot be read, or reading it failed unexpectedly; a broken
/// file is its material's problem, never an error here.
fn folder_facts(
    engine: &Engine,
    company: &Company,
    p: &PacketPlan,
    folder: &Path,
    (opts, materials): (&BatchOptions, &MaterialsOptions),
) -> Result<FolderFacts, String> {
    let plan = DossierPlan::from_packet(p, &engine.catalog, opts.today);
    let read = || -> Result<FolderFacts, String> {
        if !materials.dossier {
            let (statuses, _) =
                crate::dossier::folder_status(&plan, folder).map_err(|e| e.to_string())?;
            return Ok(FolderFacts {
                statuses,
                dossier: None,
            });
        }
        let dossier = crate::dossier::run(&plan, folder, engine, &materials.assemble)
            .map_err(|e| e.to_string())?;
        let dir = crate::dossier::output::packet_dir(&opts.out, company, &plan.file_stem);
        let written = crate::dossier::output::write(&dir, &dossier, opts.force)
            .map(|()| dir)
            .map_err(|e| format!("the dossier was not written: {e}"));
        Ok(FolderFacts {
            statuses: checklist::from_report(&dossier.report),
            dossier: Some(written),
        })
    };
    // A reader's panic must cost this client only, never the batch.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|_| {
        Err(format!(
            "reading the materials folder {} failed unexpectedly; run `licpack dossier` on \
             this client to see which file",
            folder.display()
        ))
    })
}

/// `row` completed with what writing `path` did.
fn file_row(
    mut row: Row,
    path: &Path,
    written: Result<WriteOutcome, String>,
    input: &Input,
) -> Row {
    match written {
        Ok(outcome) => {
            // A dossier that could not be written fails the row, whose packet still is.
            row.status = match outcome {
                _ if row.error.is_some() => RowStatus::Failed,
                WriteOutcome::Created => RowStatus::Written,
                WriteOutcome::Replaced => RowStatus::Replaced,
                WriteOutcome::Unchanged => RowStatus::Unchanged,
            };
            row.path = Some(crate::output::portable_display(path));
        }
        Err(e) => row.error = Some(format!("{}: {e}", input.path.display())),
    }
    row
}

/// `Ok` when no other input of the batch would write `path`.
fn unclaimed(path: &Path, input: usize, claims: &Claims) -> Result<(), String> {
    let mut others: Vec<&str> = claims
        .get(path)
        .into_iter()
        .flatten()
        .filter(|(other, _)| *other != input)
        .map(|(_, name)| *name)
        .collect();
    others.dedup();
    if others.is_empty() {
        return Ok(());
    }
    Err(format!(
        "the same company, licence and procedure as {} (both would write {}); keep one file per \
         company and remove or merge the other",
        others.join(", "),
        path.display()
    ))
}

fn failed_row(input: &Input, error: String) -> Row {
    Row {
        input: input.rel.clone(),
        company: String::new(),
        uscc: String::new(),
        license: String::new(),
        procedure: String::new(),
        status: RowStatus::Failed,
        next_deadline: None,
        next_deadline_label: None,
        days_left: None,
        path: None,
        error: Some(error),
        missing_materials: Vec::new(),
        materials: None,
        readiness: None,
        dossier: None,
    }
}
