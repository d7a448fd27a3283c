//! Feeds arbitrary bytes to the hand-written DC-only JPEG reader (`dossier::inspect::jpeg_dc`)
//! directly, outside the importer's `catch_unwind`: it must never panic, and a picture it
//! returns has one pixel per 8×8 block of the frame, gray or RGB.
#![no_main]

use libfuzzer_sys::fuzz_target;
use licpack::dossier::inspect::jpeg_dc::dc_picture;
use licpack::dossier::inspect::raster::jpeg_header;

fuzz_target!(|data: &[u8]| {
    if let Some(picture) = dc_picture(data) {
        let header = jpeg_header(data).expect("a picture comes from a file with a frame");
        assert_eq!(picture.width, header.width.div_ceil(8));
        assert_eq!(picture.height, header.height.div_ceil(8));
        let channels = if picture.gray { 1 } else { 3 };
        assert_eq!(
            picture.pixels.len(),
            (picture.width * picture.height) as usize * channels
        );
    }
});
