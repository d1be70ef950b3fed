//! ffprobe's JSON as a file's metadata makes it (titles, tags, odd numbers): any JSON value,
//! any shape, must become facts or nothing, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = shelf::probe::ffprobe::parse(&v);
    }
});
