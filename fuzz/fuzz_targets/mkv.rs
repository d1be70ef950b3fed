//! The Matroska reader on arbitrary bytes: it must return, never panic or hang.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = shelf::probe::mkv::parse(&mut std::io::Cursor::new(data), data.len() as u64);
});
