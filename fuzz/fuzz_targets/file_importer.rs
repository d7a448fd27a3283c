//! Feeds arbitrary bytes to the dossier's importer (sniffing, the PDF, JPEG, PNG, TIFF, GIF,
//! BMP and WebP readers, then normalisation): it must report, never crash or run away.
#![no_main]

use libfuzzer_sys::fuzz_target;
use licpack::catalog::Text;
use licpack::dossier::inspect::inspect;
use licpack::dossier::matching::SourceFile;
use licpack::dossier::normalise::normalise;
use licpack::dossier::rules::UploadRules;
use licpack::dossier::Slot;

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("licpack-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("input");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let file = SourceFile {
        path,
        display: "input".into(),
    };
    let inspected = inspect(&file);
    let slot = Slot {
        number: 1,
        id: "fuzz".into(),
        name: Text {
            zh: "材料".into(),
            en: "Material".into(),
        },
        aliases: Vec::new(),
        colour_required: true,
        copy: false,
        letter: true,
    };
    let _ = normalise(&slot, &[inspected], &UploadRules::default());
});
