//! The identification table: every line of tests/data/identify_cases.txt is a case. All cases
//! must pass except those marked `!` (known gaps, each with its reason); the share is printed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use shelf::identify::{Hint, Identification, MediaType, identify};

fn list(v: &[u32]) -> String {
    v.iter()
        .map(|x| x.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// Checks one case; the problems found, empty when it passes.
fn check(id: &Identification, expect: &str) -> Vec<String> {
    let mut probs = Vec::new();
    let mut parts = expect.split(';').map(str::trim);
    let kind = parts.next().unwrap_or("");
    let got_kind = match (&id.extra, id.media_type) {
        (Some(x), _) => format!("extra:{x}"),
        (None, Some(MediaType::Episode)) => "episode".into(),
        (None, Some(MediaType::Movie)) => "movie".into(),
        (None, None) => "none".into(),
    };
    if got_kind != kind {
        probs.push(format!("type {got_kind} (want {kind})"));
    }
    for p in parts.filter(|p| !p.is_empty()) {
        let (k, v) = if let Some((k, v)) = p.split_once(">=") {
            (format!("{k}>="), v)
        } else if let Some((k, v)) = p.split_once('<') {
            (format!("{k}<"), v)
        } else {
            let (k, v) = p
                .split_once('=')
                .unwrap_or_else(|| panic!("bad expectation {p:?}"));
            (k.to_string(), v)
        };
        let got = match k.as_str() {
            "title" => id.title.clone().unwrap_or_default(),
            "country" => id.country.unwrap_or_default().to_string(),
            "full" => id.full_title().unwrap_or_default(),
            "year" => id.year.map(|y| y.to_string()).unwrap_or_default(),
            "season" => list(&id.seasons),
            "episode" => list(&id.episodes),
            "abs" => list(&id.absolute),
            "date" => id.air_date.clone().unwrap_or_default(),
            "etitle" => id.episode_title.clone().unwrap_or_default(),
            "part" => id.part.map(|y| y.to_string()).unwrap_or_default(),
            "edition" => id.edition.unwrap_or_default().to_string(),
            "id" => {
                let want = v.split_once(':').unwrap();
                if id
                    .external_ids
                    .iter()
                    .any(|(p, x)| *p == want.0 && x == want.1)
                {
                    v.to_string()
                } else {
                    format!("{:?}", id.external_ids)
                }
            }
            "conf>=" => {
                let t: f64 = v.parse().unwrap();
                if id.confidence >= t {
                    v.to_string()
                } else {
                    format!("{:.2}", id.confidence)
                }
            }
            "conf<" => {
                let t: f64 = v.parse().unwrap();
                if id.confidence < t {
                    v.to_string()
                } else {
                    format!("{:.2}", id.confidence)
                }
            }
            other => panic!("unknown key {other}"),
        };
        if got != v {
            probs.push(format!("{k} {got:?} (want {v:?})"));
        }
    }
    probs
}

#[test]
fn the_identification_table() {
    let text = include_str!("data/identify_cases.txt");
    let (mut total, mut passed, mut known_gaps, mut gaps_passing) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (gap, line) = match line.strip_prefix('!') {
            Some(rest) => (true, rest.trim()),
            None => (false, line),
        };
        let line = line.split(" # ").next().unwrap_or(line);
        let (lhs, expect) = line
            .split_once("=>")
            .unwrap_or_else(|| panic!("line {}: no =>", n + 1));
        let (hint, path) = lhs.split_once('|').unwrap();
        let hint = Hint::from(hint.trim().parse::<shelf::model::CollectionKind>().unwrap());
        let path = path.trim();
        let id = identify(path, hint);
        let probs = check(&id, expect.trim());
        total += 1;
        if probs.is_empty() {
            passed += 1;
            if gap {
                gaps_passing += 1;
                eprintln!("line {}: known gap now passes, promote it: {path}", n + 1);
            }
        } else if gap {
            known_gaps += 1;
        } else {
            failures.push(format!(
                "line {}: {path}\n    {}\n    got {id:?}",
                n + 1,
                probs.join("; ")
            ));
        }
    }
    eprintln!(
        "identification table: {passed}/{total} pass ({:.1}%); {known_gaps} known gaps; {gaps_passing} gaps passing",
        100.0 * passed as f64 / total as f64
    );
    assert!(
        total >= 300,
        "the table must hold at least 300 cases, has {total}"
    );
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
