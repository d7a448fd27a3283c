//! `licpack deadlines`: what falls due across company files, as a table, JSON or calendar.

use super::args::DeadlinesArgs;
use super::{engine, report, EXIT_INVALID};
use licpack::agenda::{collect, DueItem};
use licpack::batch::discover;
use licpack::output::{write_atomic, WriteOutcome};

pub fn run(args: DeadlinesArgs) -> i32 {
    let Ok(engine) = engine(args.templates.as_deref()) else {
        return EXIT_INVALID;
    };
    let today = args
        .date
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let mut items: Vec<DueItem> = Vec::new();
    let mut failed = 0;
    for input in &args.inputs {
        let files = match discover(input) {
            Ok(f) if input.is_dir() => f.into_iter().map(|i| i.path).collect(),
            _ => vec![input.clone()],
        };
        for file in files {
            match engine.load_company(&file) {
                Ok(c) => items.extend(collect(&c, &engine.catalog, today)),
                Err(d) => {
                    report(d);
                    failed += 1;
                }
            }
        }
    }
    items.retain(|i| args.within.is_none_or(|w| i.days_left <= w));
    items.sort_by(|a, b| (a.date, &a.company, &a.license).cmp(&(b.date, &b.company, &b.license)));
    if let Some(ics) = &args.ics {
        let text = licpack::calendar::to_ics(&items, today);
        // The calendar is a derived file a weekly job refreshes, so it is replaced without
        // --force; the line below says so whenever that happens.
        let outcome = match write_atomic(ics, text.as_bytes(), true) {
            Ok(outcome) => outcome,
            Err(e) => {
                report(format!("error: {e}"));
                return EXIT_INVALID;
            }
        };
        let how = match outcome {
            WriteOutcome::Created => "written",
            WriteOutcome::Replaced => "replaced",
            WriteOutcome::Unchanged => "unchanged",
        };
        errln!("calendar: {} {how} ({} events)", ics.display(), items.len());
    }
    if args.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&items).unwrap_or_default()
        );
    } else {
        print_table(&items);
    }
    if failed > 0 {
        EXIT_INVALID
    } else {
        0
    }
}

fn print_table(items: &[DueItem]) {
    outln!(
        "{:<10}  {:>6}  {:<16}  {:<40}  company",
        "date",
        "days",
        "licence",
        "deadline"
    );
    for i in items {
        let mut flag = if i.days_left < 0 { " OVERDUE" } else { "" }.to_string();
        if let Some(day) = i.file_by {
            let mark = if i.provisional { " (provisional)" } else { "" };
            flag.push_str(&format!(" file by {day}{mark}"));
        }
        outln!(
            "{}  {:>6}  {:<16}  {:<40}  {}{flag}",
            i.date,
            i.days_left,
            i.license,
            i.label.en,
            i.company
        );
    }
    outln!("{} deadlines", items.len());
}
