//! Fuzzes `company::parse`: any UTF-8 text, checked against the built-in catalog, must
//! give a company or diagnostics, never a panic. Every diagnostic must point inside the text.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use licpack::catalog::{builtin, Catalog};

fn shared_catalog() -> &'static Catalog {
    builtin()
}

fuzz_target!(|text: &str| {
    let path = Path::new("fuzz.toml");
    match licpack::company::parse(text, path, shared_catalog()) {
        Ok(company) => assert_eq!(company.source, path),
        Err(diagnostics) => {
            assert!(!diagnostics.0.is_empty(), "an error without a diagnostic");
            let lines = text.split('\n').count();
            for d in &diagnostics.0 {
                assert!(d.line <= lines, "line {} of {lines}: {d}", d.line);
                assert!(!d.message.is_empty());
            }
        }
    }
});
