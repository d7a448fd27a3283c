//! Helpers for the tests of laid-out letters: the sample files, each packet laid out, the
//! pages of a document and of each part of a letter, the runs and circles of a page.

use std::path::{Path, PathBuf};

use licpack::document::{Block, Document, Packet};
use licpack::layout::{CircleShape, GlyphRun, Item, LaidOutPacket, Page};
use licpack::packet::Engine;
use licpack::plan::{plan, PacketPlan, Selection};
use licpack::templates::Lang;

use super::{compact, repo, shared_cases, TODAY};

/// Every company file of `samples/` and, when present, of `../shared/cases/`.
pub fn sample_files() -> Vec<PathBuf> {
    let mut dirs = vec![repo().join("samples")];
    dirs.extend(shared_cases());
    let mut files: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|d| std::fs::read_dir(d).unwrap().flatten().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

/// Lays out every packet of `company` (bilingual) and hands each to `check`.
pub fn each_packet(
    engine: &Engine,
    company: &Path,
    check: impl FnMut(&PacketPlan, &Packet, &LaidOutPacket),
) {
    each_packet_in(engine, company, Lang::Bilingual, check)
}

pub fn each_packet_in(
    engine: &Engine,
    company: &Path,
    lang: Lang,
    mut check: impl FnMut(&PacketPlan, &Packet, &LaidOutPacket),
) {
    let c = engine.load_company(company).unwrap();
    let today = chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    for p in plan(&c, &engine.catalog, today, &Selection::default()).unwrap() {
        let (packet, laid) = engine.lay_out(&p, lang).unwrap();
        check(&p, &packet, &laid);
    }
}

/// The pages of document `i`.
pub fn pages_of(laid: &LaidOutPacket, i: usize) -> &[Page] {
    let start = laid.outline[i].page;
    let end = laid.outline.get(i + 1).map_or(laid.pages.len(), |e| e.page);
    &laid.pages[start..end]
}

/// Parts of a letter: its blocks between top-level page breaks.
pub fn parts(document: &Document) -> usize {
    1 + document
        .blocks
        .iter()
        .filter(|b| matches!(b, Block::PageBreak))
        .count()
}

pub fn body_runs(page: &Page) -> impl Iterator<Item = &GlyphRun> {
    page.body.iter().filter_map(|i| match i {
        Item::Text(r) => Some(r),
        _ => None,
    })
}

/// The size most of the page's characters are set in: its body (or translation) size.
pub fn body_size(page: &Page) -> f32 {
    let mut by_size: Vec<(f32, usize)> = Vec::new();
    for run in body_runs(page) {
        let n = run.text.chars().count();
        match by_size.iter_mut().find(|(s, _)| *s == run.size.0) {
            Some((_, count)) => *count += n,
            None => by_size.push((run.size.0, n)),
        }
    }
    by_size
        .iter()
        .max_by_key(|(_, n)| *n)
        .map_or(0.0, |(s, _)| *s)
}

pub fn circles(page: &Page) -> Vec<CircleShape> {
    page.body
        .iter()
        .filter_map(|i| match i {
            Item::Circle(c) => Some(*c),
            _ => None,
        })
        .collect()
}

/// The pages of each part of a letter: the Chinese letter, then (from the page carrying the
/// translation note) its English translation.
pub fn part_pages(pages: &[Page]) -> Vec<&[Page]> {
    let text = |p: &Page| compact(&p.runs().map(|r| r.text.as_str()).collect::<String>());
    match pages
        .iter()
        .position(|p| text(p).contains("Englishtranslationforreference"))
    {
        Some(k) if k > 0 => vec![&pages[..k], &pages[k..]],
        _ => vec![pages],
    }
}
