//! `licpack catalog`: the services × procedures the catalog knows, as a table or JSON.

use serde::Serialize;

use super::args::CatalogArgs;
use super::{engine, EXIT_INVALID};

#[derive(Serialize)]
struct Cell {
    service: String,
    procedure: String,
    applicable: bool,
    reason: String,
}

pub fn run(args: CatalogArgs) -> i32 {
    let Ok(engine) = engine(args.templates.as_deref()) else {
        return EXIT_INVALID;
    };
    let c = &engine.catalog;
    let matrix: Vec<Cell> = c
        .services
        .iter()
        .flat_map(|s| {
            c.procedures.iter().map(move |p| Cell {
                service: s.id.clone(),
                procedure: p.id.clone(),
                applicable: true,
                reason: format!("{} applies to every licence ({})", p.id, p.source),
            })
        })
        .collect();
    if args.json {
        let services: Vec<_> = c
            .services
            .iter()
            .map(|s| serde_json::json!({"id": s.id, "code": s.code, "name": s.name}))
            .collect();
        let procedures: Vec<_> = c
            .procedures
            .iter()
            .map(|p| serde_json::json!({"id": p.id, "name": p.name, "materials": p.materials.len(), "letters": p.letters}))
            .collect();
        let out =
            serde_json::json!({"services": services, "procedures": procedures, "matrix": matrix});
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        return 0;
    }
    println!("Services (licence types):");
    for s in &c.services {
        println!("  {:<18} {:<5} {} / {}", s.id, s.code, s.name.zh, s.name.en);
    }
    println!("\nProcedures:");
    for p in &c.procedures {
        println!(
            "  {:<18} {} / {} ({} materials, {} letters)",
            p.id,
            p.name.zh,
            p.name.en,
            p.materials.len(),
            p.letters.len()
        );
    }
    println!(
        "\nRegions: {}",
        c.regions
            .iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    0
}
