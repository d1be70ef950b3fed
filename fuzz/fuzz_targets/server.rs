//! Media-server answers on arbitrary bytes: every Plex and Jellyfin decoder (sections,
//! items with their parts and ids, markers, chapters, segments) must return, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = shelf::server::decode_all(data);
});
