//! The command-line grammar (`DESIGN.md` §7), with help that teaches by example.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "licpack",
    version,
    about = "Bilingual PDF packets for Chinese value-added telecom licence procedures",
    long_about = "licpack turns a company's TOML data into PDF packets for value-added telecom \
licence procedures (增值电信业务经营许可证): a bilingual checklist of the materials to submit, the \
deadlines that apply, and drafts of the commitment letters (承诺书) to sign and stamp.",
    after_help = "Examples:
  licpack init client/                          write client/company.toml to start from
  licpack check client/company.toml             validate only; errors name file, line and field
  licpack generate client/company.toml --out out/
  licpack generate client/company.toml --procedure renewal --lang zh --date 2026-11-25
  licpack catalog --json                        licences × procedures, for scripts"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Generate the PDF packet of every [[procedure]] in a company file.
    #[command(after_help = "Examples:
  licpack generate samples/callcenter-renewal.toml --out out/
  licpack generate client.toml --procedure legal-rep-change --license 沪B2-20230045
  licpack generate client.toml --date 2026-11-25 --force   reproducible; replace existing files
  licpack generate client.toml --format pdf,docx          also an editable Word document
  licpack generate client.toml --materials client/materials/   status column from the folder

Each packet is written to OUT/<company>-<USCC>/<licence>-<procedure>.pdf (and .docx beside it
with --format docx or pdf,docx). Existing files are
left alone unless their content is identical or --force is given.")]
    Generate(GenerateArgs),
    /// Generate the packets of every client in a folder (or manifest), in parallel.
    #[command(after_help = "Examples:
  licpack batch clients/ --out out/ --date 2026-11-25      every [[procedure]] of every client
  licpack batch clients/ --out out/ --shard 2/3            this machine's third of the book
  licpack batch manifest.toml --out out/ --jobs 2 --quiet
  licpack batch clients/ --out out/ --dossier               also each client's dossier

A folder is searched recursively for *.toml (agency.toml excluded). A manifest is a TOML file
with files = [\"a.toml\", \"sub/b.toml\"] relative to it. An invalid client is reported and
skipped; the others are written. OUT/summary.json, summary.csv, summary.xlsx and summary.pdf
list every packet with its next deadline. Exit 0 when all succeeded, 1 when any failed.

Materials: a client's materials folder is <client>/materials/ beside <client>/company.toml,
<stem>.materials/ beside <stem>.toml, the folder a company file names ([client]
materials_folder, which comes first), or the 材料文件夹 (client.materials_folder) column of a
client book, relative to the book. Such folders (and materials.toml manifests) are never
taken for company files. A client with a folder gets its checklist's status column from it
(as generate --materials) and its readiness in the summaries: ready and total (materials
that apply), what is missing, what has a problem and why. With --dossier its dossier is
built too. A folder or manifest that cannot be read fails that client only; a broken file is
its material's problem.

Sharding: --shard K/N takes the inputs whose FNV-1a hash of the relative path falls in bucket
K of N, so N machines given the same folder cover every client exactly once. Summaries of
shards combine by concatenating the JSON arrays (or the CSV files without their header).")]
    Batch(BatchArgs),
    /// Sort a client's materials folder into upload files, a bound dossier.pdf and a report.
    #[command(after_help = "Examples:
  licpack dossier client.toml --materials client/materials --out out/ --date 2026-11-25
  licpack dossier client.toml --materials scans/ --out out/ --procedure renewal --json
  licpack dossier clients/beta.toml --out out/      reads clients/beta.materials/

Without --materials the folder is the one the company file names ([client]
materials_folder = \"DIR\", relative to the file; `licpack import` writes it from a book's
材料文件夹 column), else <stem>.materials/ beside <stem>.toml or materials/ beside
company.toml.

For each packet: OUT/<company>-<USCC>/<licence>-<procedure>/upload/ (one file per ready
material, NN-<名称>.jpg or .pdf, at most 5 MB), dossier.pdf (cover, 目录, stamped pages) and
dossier.json (status of every material, its files, problems, warnings, actions and upload
files; unmatched files with the reason).

Which file is which material (docs/dossier.md):
  - a file or folder directly in the folder belongs to a material when its name, minus the
    extension and a leading number (03 , 03-, 03_, 3.), starts with the material's Chinese
    name or an alias from the catalog, or equals its id;
  - a folder's files are that material's pages, in natural order (2 before 10);
  - materials.toml in the folder may assign files ([files] \"scan 1.jpg\" = \"ID\") and mark
    materials not applicable ([not_applicable] ID = \"why\");
  - a name fitting two materials is reported as ambiguous, one fitting none as unmatched;
  - hidden files, .DS_Store, Thumbs.db, desktop.ini and ~$ lock files are ignored.

The materials folder is never modified. A rerun with unchanged inputs rewrites nothing;
files whose content would change need --force. Upload files an earlier run wrote that no
longer belong are removed; other files in upload/ are left alone.
Exit 0 when every material that applies is ready, 1 when any is missing or has a problem
(everything else is still written), 2 on a usage error.")]
    Dossier(DossierArgs),
    /// List what falls due (renewal windows, expiries, annual reports, change filings).
    #[command(after_help = "Examples:
  licpack deadlines clients/ --within 120                 table of the next 120 days
  licpack deadlines clients/ --within 120 --ics due.ics   also a calendar file (RFC 5545)
  licpack deadlines client.toml --json")]
    Deadlines(DeadlinesArgs),
    /// Validate company files without writing anything.
    #[command(after_help = "Example:
  licpack check clients/*.toml     exit 1 if any file is invalid; every error names file:line:column and field")]
    Check(CheckArgs),
    /// Show the licence types and procedures the catalog knows.
    Catalog(CatalogArgs),
    /// Write a sample company file (or, with --xlsx, a client-book template) to start from.
    #[command(after_help = "Examples:
  licpack init client/                  client/company.toml
  licpack init --xlsx clients.xlsx      a spreadsheet: one row per procedure, drop-down lists")]
    Init(InitArgs),
    /// Turn a client book (.xlsx, .xls, .ods, .csv) into one company file per company.
    #[command(after_help = "Example:
  licpack import clients.xlsx --out clients/     then keep clients/ in git; batch it as a folder

Each file is named <company>-<USCC>.toml and every value is commented with the sheet and cell
it came from. Invalid clients are reported and skipped. A file that exists with other content
(edited since the last import) is left alone unless --force is given.")]
    Import(ImportArgs),
    /// List, copy out (eject) and check the templates and catalog files.
    #[command(after_help = "Examples:
  licpack templates list --templates my-templates/     every file, built-in or yours
  licpack templates eject --to my-templates/           copy every built-in file out
  licpack templates eject renewal.toml --to my-templates/
  licpack templates check my-templates/                compile and render against the samples
  licpack generate client.toml --templates my-templates/ --out out/

A file in your directory replaces the built-in file of the same relative path; every other
file falls through to the built-in one. Built-ins stay reachable as builtin:NAME, e.g.
{% import \"builtin:documents/macros.md.tera\" as m %}.")]
    Templates(TemplatesArgs),
}

#[derive(Args, Debug)]
pub struct TemplatesArgs {
    #[command(subcommand)]
    pub command: TemplatesCommand,
}

#[derive(Subcommand, Debug)]
pub enum TemplatesCommand {
    /// Every template and catalog file, and whether it is built in, overridden or added.
    List {
        /// A directory of templates and catalog files layered over the built-in ones.
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Copy built-in files out for editing: one file, a folder of them, or all.
    Eject {
        /// A file or folder name as `templates list` shows it (a unique bare file name such
        /// as renewal.toml is enough); all files when omitted.
        name: Option<String>,
        /// Directory to copy into (created if needed).
        #[arg(long, value_name = "DIR")]
        to: PathBuf,
        /// Replace files that exist with different content.
        #[arg(long)]
        force: bool,
    },
    /// Compile every template and catalog file of DIR and render every document against
    /// sample companies; report every problem with file:line:column; exit 1 if any.
    Check {
        /// The template directory (layered over the built-ins).
        dir: PathBuf,
        /// Company files to render against (default: the built-in samples). Repeatable.
        #[arg(long, value_name = "FILE")]
        sample: Vec<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum, Default)]
pub enum LangArg {
    /// Chinese with English beneath (letters: Chinese, then an English reference translation).
    #[default]
    Bilingual,
    /// Chinese only.
    Zh,
    /// English only (for reference; authorities accept the Chinese text).
    En,
}

/// An output format (`--format pdf,docx`).
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FormatArg {
    /// The print-ready PDF.
    Pdf,
    /// An editable Word document (Word, WPS, LibreOffice) of the same content.
    Docx,
}

/// `--format`, shared by `generate` and `batch`.
#[derive(Args, Debug)]
pub struct FormatOpts {
    /// Files to write per packet: pdf, docx, or both (pdf,docx); a DOCX sits beside the PDF.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "pdf",
        value_name = "LIST"
    )]
    pub format: Vec<FormatArg>,
}

impl FormatOpts {
    /// The library's formats, each once, PDF first.
    pub fn to_formats(&self) -> Vec<licpack::formats::Format> {
        let formats: Vec<_> = self
            .format
            .iter()
            .map(|f| match f {
                FormatArg::Pdf => licpack::formats::Format::Pdf,
                FormatArg::Docx => licpack::formats::Format::Docx,
            })
            .collect();
        licpack::formats::normalize(&formats)
    }
}

#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// The company file (TOML; see `licpack init` for the schema).
    pub company: PathBuf,
    /// Only this procedure (catalog id, e.g. renewal, legal-rep-change, reapplication).
    #[arg(long, value_name = "ID")]
    pub procedure: Option<String>,
    /// Only procedures concerning this licence number.
    #[arg(long, value_name = "NUMBER")]
    pub license: Option<String>,
    /// Languages of the packet.
    #[arg(long, value_enum, default_value_t = LangArg::Bilingual)]
    pub lang: LangArg,
    /// "Today" for deadlines and the date printed in letters (default: the system date).
    /// Fixing it makes the output byte-for-byte reproducible.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<NaiveDate>,
    /// A directory of templates and catalog files layered over the built-in ones.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// The agency's agency.toml (name, contact, logo, accent colour) printed on every page.
    #[arg(long, value_name = "FILE")]
    pub agency: Option<PathBuf>,
    /// Output directory.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Replace existing files whose content differs.
    #[arg(long)]
    pub force: bool,
    /// Print a JSON report on stdout instead of lines for people.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub formats: FormatOpts,
    /// The client's materials folder (read only): the checklist's status column then shows
    /// what the folder holds (ready with the file names and pages, missing, problem with the
    /// reason, not applicable with the manifest's note) instead of the company file's
    /// [materials] statuses; a typed status the folder contradicts is warned about. Files are
    /// matched to materials as `licpack dossier` does (see its --help).
    #[arg(long, value_name = "DIR")]
    pub materials: Option<PathBuf>,
    /// Keep running and regenerate whenever the company file, the agency file, a file under
    /// --templates or --materials changes; an invalid edit prints its error and the watch goes on. Packets
    /// this run wrote are replaced without --force, any other file never. Ctrl-C stops.
    #[arg(long)]
    pub watch: bool,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// One or more company files.
    #[arg(required = true)]
    pub companies: Vec<PathBuf>,
    /// A directory of templates and catalog files layered over the built-in ones.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Print a JSON report on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct BatchArgs {
    /// A folder of company files, or a manifest TOML listing them.
    pub input: PathBuf,
    /// Output directory.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Worker threads (default, or 0: one per core).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Only the K-th of N stable parts of the input (for several machines).
    #[arg(long, value_name = "K/N")]
    pub shard: Option<licpack::batch::Shard>,
    /// "Today" for deadlines and letter dates (default: the system date).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<NaiveDate>,
    /// Languages of the packets.
    #[arg(long, value_enum, default_value_t = LangArg::Bilingual)]
    pub lang: LangArg,
    /// A directory of templates and catalog files layered over the built-in ones.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// The agency's agency.toml printed on every page (default: agency.toml in the input
    /// folder, if there is one).
    #[arg(long, value_name = "FILE")]
    pub agency: Option<PathBuf>,
    /// Replace existing packets whose content differs.
    #[arg(long)]
    pub force: bool,
    /// No progress output (errors and the final count only).
    #[arg(long)]
    pub quiet: bool,
    #[command(flatten)]
    pub formats: FormatOpts,
    /// Also build each client's dossier (upload/, dossier.pdf, dossier.json, as `licpack
    /// dossier` does) from its materials folder, under OUT/<company>-<USCC>/<licence>-<procedure>/.
    #[arg(long)]
    pub dossier: bool,
    /// With --dossier: a separator page before each material in dossier.pdf.
    #[arg(long, requires = "dossier")]
    pub separators: bool,
    /// With --dossier: print 本复印件与原件一致 on the pages of materials that are copies.
    #[arg(long, requires = "dossier")]
    pub copy_marks: bool,
}

#[derive(Args, Debug)]
pub struct DeadlinesArgs {
    /// Company files or folders of them.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Only deadlines at most this many days ahead (overdue ones are always shown).
    #[arg(long, value_name = "DAYS")]
    pub within: Option<i64>,
    /// Also write the deadlines as an iCalendar file.
    #[arg(long, value_name = "FILE")]
    pub ics: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// "Today" (default: the system date).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<NaiveDate>,
    /// A directory of templates and catalog files layered over the built-in ones.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct CatalogArgs {
    /// Print JSON: {"services": […], "procedures": […], "matrix": […], "calendar": […]}.
    #[arg(long)]
    pub json: bool,
    /// A directory of templates and catalog files layered over the built-in ones.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Directory to write company.toml into.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Replace an existing company.toml.
    #[arg(long)]
    pub force: bool,
    /// Write a client-book template (one row per procedure) to FILE instead.
    #[arg(long, value_name = "FILE")]
    pub xlsx: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The client book.
    pub book: PathBuf,
    /// Folder to write the company files into.
    #[arg(long)]
    pub out: PathBuf,
    /// Replace company files that have other content.
    #[arg(long)]
    pub force: bool,
}

impl LangArg {
    pub fn to_lang(self) -> licpack::templates::Lang {
        match self {
            LangArg::Bilingual => licpack::templates::Lang::Bilingual,
            LangArg::Zh => licpack::templates::Lang::Zh,
            LangArg::En => licpack::templates::Lang::En,
        }
    }
}

#[derive(Args, Debug)]
pub struct DossierArgs {
    /// The company file (TOML).
    pub company: PathBuf,
    /// The client's materials folder (read only; see the rules below). Default: the folder
    /// the company file names ([client] materials_folder), else <stem>.materials/ beside
    /// <stem>.toml, or materials/ beside company.toml.
    #[arg(long, value_name = "DIR")]
    pub materials: Option<PathBuf>,
    /// Output directory.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Only this procedure (catalog id).
    #[arg(long, value_name = "ID")]
    pub procedure: Option<String>,
    /// Only procedures concerning this licence number.
    #[arg(long, value_name = "NUMBER")]
    pub license: Option<String>,
    /// The submission date (default: the system date); letters are checked against it and
    /// it is printed on the cover.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<NaiveDate>,
    /// A directory of templates and catalog files layered over the built-in ones.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// The agency's agency.toml, whose brand goes on the cover.
    #[arg(long, value_name = "FILE")]
    pub agency: Option<PathBuf>,
    /// A separator page before each material in dossier.pdf.
    #[arg(long)]
    pub separators: bool,
    /// Print 本复印件与原件一致 on the pages of materials that are copies.
    #[arg(long)]
    pub copy_marks: bool,
    /// Replace existing files whose content differs.
    #[arg(long)]
    pub force: bool,
    /// Print the reports as JSON on stdout instead of lines for people.
    #[arg(long)]
    pub json: bool,
}
