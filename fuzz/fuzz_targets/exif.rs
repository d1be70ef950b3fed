//! EXIF reading (kamadak-exif lenient, then shelf's date and GPS handling) on arbitrary bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = shelf::probe::exif::from_bytes(data, "IMG_20231225_123456.jpg", 0);
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = shelf::probe::exif::date_in_name(s);
        let _ = shelf::probe::exif::exif_time(s, Some(s), Some(s));
    }
});
