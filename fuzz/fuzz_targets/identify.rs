//! The name parser on arbitrary text: it must return, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    for hint in [shelf::identify::Hint::Shows, shelf::identify::Hint::Movies, shelf::identify::Hint::Mixed] {
        let _ = shelf::identify::identify(&s, hint);
    }
});
