//! `licpack catalog`: the services × procedures the catalog knows, as a table or JSON, with
//! whether each procedure applies to each service and why (catalog data), and the years of
//! the working-day calendar with the notices they come from.

use super::args::CatalogArgs;
use super::{engine, EXIT_INVALID};
use licpack::catalog::matrix;

pub fn run(args: CatalogArgs) -> i32 {
    let Ok(engine) = engine(args.templates.as_deref()) else {
        return EXIT_INVALID;
    };
    let c = &engine.catalog;
    if args.json {
        let services: Vec<_> = c
            .services
            .iter()
            .map(|s| serde_json::json!({"id": s.id, "code": s.code, "name": s.name}))
            .collect();
        let procedures: Vec<_> = c
            .procedures
            .iter()
            .map(|p| {
                serde_json::json!({
                    "id": p.id,
                    "name": p.name,
                    "materials": p.materials.len(),
                    "letters": p.letters,
                    "handled_by": p.handled_by,
                    "applies": p.applies,
                })
            })
            .collect();
        let out = serde_json::json!({
            "services": services,
            "procedures": procedures,
            "matrix": matrix::matrix(c),
            "calendar": c.calendar.years().map(|y| serde_json::json!({
                "year": y,
                "notices": c.calendar.notices(y),
            })).collect::<Vec<_>>(),
        });
        outln!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        return 0;
    }
    outln!("Services (licence types):");
    for s in &c.services {
        outln!("  {:<18} {:<5} {} / {}", s.id, s.code, s.name.zh, s.name.en);
    }
    outln!("\nProcedures:");
    for p in &c.procedures {
        outln!(
            "  {:<18} {} / {} ({} materials, {} letters)",
            p.id,
            p.name.zh,
            p.name.en,
            p.materials.len(),
            p.letters.len()
        );
    }
    outln!("\nMaterials per applicable cell (- = does not apply):\n");
    out!("{}", matrix::to_text(c));
    outln!("\nWhere a procedure is limited:");
    for p in c
        .procedures
        .iter()
        .filter(|p| !p.applies.services.is_empty())
    {
        let why_not = p.applies.why_not.as_ref().unwrap_or(&p.applies.why);
        outln!("  {:<18} {}", p.id, why_not.en);
    }
    outln!(
        "\nRegions: {}",
        c.regions
            .iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    outln!("\nWorking-day calendar (holidays and worked weekends, by notice):");
    for y in c.calendar.years() {
        outln!("  {y}  {}", c.calendar.notices(y).join(", "));
    }
    if c.calendar.years().next().is_none() {
        outln!("  none: deadline tables give no working-day dates");
    }
    0
}
