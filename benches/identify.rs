//! Parser throughput on one core: every path of the identification table, over and over.
//! Run with `cargo bench --bench identify`. Goal: at least 500,000 paths per second.
#![allow(clippy::expect_used, clippy::unwrap_used)] // a measuring harness

use std::hint::black_box;
use std::time::Instant;

use shelf::identify::{Hint, identify};

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let cases: Vec<(Hint, &str)> = include_str!("../tests/data/identify_cases.txt")
        .lines()
        .map(|l| l.trim().trim_start_matches('!').trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (lhs, _) = l.split_once("=>")?;
            let (hint, path) = lhs.split_once('|')?;
            Some((
                Hint::from(hint.trim().parse::<shelf::model::CollectionKind>().ok()?),
                path.trim(),
            ))
        })
        .collect();
    // Warm up, then measure for about two seconds.
    for (h, p) in &cases {
        black_box(identify(p, *h));
    }
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed().as_secs_f64() < 2.0 {
        for (h, p) in &cases {
            black_box(identify(black_box(p), *h));
        }
        n += cases.len() as u64;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "identify: {n} paths in {secs:.2}s = {:.0} paths/s on one core ({:.2} µs/path; {} distinct paths)",
        n as f64 / secs,
        secs * 1e6 / n as f64,
        cases.len()
    );
}
