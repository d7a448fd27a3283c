//! Prints how long each pipeline stage takes for one packet, in one process: engine
//! (catalog + templates), company, plan, compose, layout, PDF. Run with
//! `cargo run --release --example stage_timing -- samples/callcenter-renewal.toml`.

use std::path::PathBuf;
use std::time::Instant;

use chrono::NaiveDate;
use licpack::packet::Engine;
use licpack::plan::{plan, Selection};
use licpack::templates::Lang;

fn main() {
    let path = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "samples/callcenter-renewal.toml".into()),
    );
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).expect("a valid date");
    let library = licpack::library::Library::builtin();
    // Best of five: the machine may be busy with other work.
    let catalog = (0..5)
        .map(|_| {
            let t = Instant::now();
            let catalog = licpack::catalog::load(&library).expect("built-in catalog");
            (t.elapsed(), catalog)
        })
        .min_by_key(|(elapsed, _)| *elapsed)
        .map(|(elapsed, catalog)| {
            println!("catalog   {:6.1} ms", elapsed.as_secs_f64() * 1e3);
            catalog
        });
    let best = (0..5)
        .map(|_| {
            let t = Instant::now();
            let _templates =
                licpack::templates::Templates::new(&library).expect("built-in templates");
            t.elapsed()
        })
        .min()
        .unwrap_or_default();
    println!("templates {:6.1} ms", best.as_secs_f64() * 1e3);
    let t = Instant::now();
    let _fonts = licpack::fonts::FontBook::builtin();
    println!(
        "fonts     {:6.1} ms (ttf-parser)",
        t.elapsed().as_secs_f64() * 1e3
    );
    let t = Instant::now();
    let engine = Engine::new(None).expect("built-in engine");
    println!(
        "engine    {:6.1} ms (catalog + templates)",
        t.elapsed().as_secs_f64() * 1e3
    );
    drop(catalog);
    // Best of many rounds per stage; run with RAYON_NUM_THREADS=1 for CPU per packet (what a
    // batch pays), without it for the wall time a single `generate` waits.
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(20);
    let mut best = [f64::MAX; 4];
    let mut kb = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        let company = engine.load_company(&path).expect("valid company");
        let company_ms = t.elapsed().as_secs_f64() * 1e3;
        let plans = plan(&company, &engine.catalog, today, &Selection::default()).expect("plan");
        let t = Instant::now();
        let packet = engine.compose(&plans[0], Lang::Bilingual).expect("compose");
        let compose_ms = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        let laid = engine.lay_out_packet(&packet).expect("layout");
        let layout_ms = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        let bytes = licpack::pdf::write(&laid, &packet.meta, engine.fonts()).expect("pdf");
        let pdf_ms = t.elapsed().as_secs_f64() * 1e3;
        for (b, v) in best
            .iter_mut()
            .zip([company_ms, compose_ms, layout_ms, pdf_ms])
        {
            *b = b.min(v);
        }
        kb = bytes.len() / 1024;
    }
    let [company_ms, compose_ms, layout_ms, pdf_ms] = best;
    println!(
        "best of {rounds}: company {company_ms:.2} ms, compose {compose_ms:.2} ms, layout {layout_ms:.2} ms, pdf {pdf_ms:.2} ms, {kb} KB"
    );
}
