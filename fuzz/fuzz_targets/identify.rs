//! The name parser on arbitrary text: it must return, never panic. Each line is also a
//! sibling of the others and a catalog title, so the context rules (`identify --context`,
//! the scan's second reading) run on the same input.
#![no_main]
use libfuzzer_sys::fuzz_target;
use shelf::identify::context::{KnownTitles, identify_all, identify_in};
use shelf::identify::{Hint, identify};

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    for hint in [Hint::Shows, Hint::Movies, Hint::Mixed] {
        let _ = identify(&s, hint);
    }
    let lines: Vec<String> = s.lines().take(16).map(str::to_owned).collect();
    let _ = identify_all(&lines, Hint::Mixed);
    let known = KnownTitles::new(lines.iter().cloned());
    for l in &lines {
        let _ = identify_in(l, Hint::Shows, None, Some(&known));
    }
});
