//! Identification with what one name cannot know: the other videos in its folder and the
//! titles already in the catalog. A folder of `Show - 01 … Show - 26` is one show numbered
//! absolutely; `101.mkv` beside `Show S01E02.mkv` is S01E01; `the.100.109` is The 100
//! S01E09 once the catalog has "The 100". Pure: the caller gathers the siblings' names and
//! the catalog's titles and hands them in.

use std::collections::HashMap;

use super::name::{self, EpisodeMark, NameContext};
use super::{Hint, Identification, MediaType, identify, normalise_title, split_path, stem};

/// The titles a catalog already has, by normalised name.
#[derive(Debug, Default, Clone)]
pub struct KnownTitles {
    by_norm: HashMap<String, String>,
    /// The most words any known title has, so a prefix search stops early.
    max_words: usize,
}

impl KnownTitles {
    pub fn new(names: impl IntoIterator<Item = String>) -> Self {
        let mut k = Self::default();
        for n in names {
            let norm = normalise_title(&n);
            if norm.is_empty() {
                continue;
            }
            k.max_words = k.max_words.max(norm.split(' ').count());
            k.by_norm.entry(norm).or_insert(n);
        }
        k
    }

    pub fn is_empty(&self) -> bool {
        self.by_norm.is_empty()
    }

    fn get(&self, norm: &str) -> Option<&str> {
        self.by_norm.get(norm).map(String::as_str)
    }
}

/// What the videos of one folder say together.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Siblings {
    /// The title most of them carry, as the first of them spells it, and how many do.
    title: Option<(String, usize)>,
    /// The season their SxxEyy-style marks agree on.
    season: Option<u32>,
    /// How many are numbered absolutely under the common title.
    absolute: usize,
}

impl Siblings {
    /// From the folder's video paths (relative to the collection, as `identify` takes them).
    pub fn of(paths: &[&str], hint: Hint) -> Self {
        let ids: Vec<Identification> = paths.iter().map(|p| identify(p, hint)).collect();
        Self::from_ids(&ids)
    }

    pub(crate) fn from_ids(ids: &[Identification]) -> Self {
        let mut titles: HashMap<String, (String, usize)> = HashMap::new();
        let mut seasons: HashMap<u32, usize> = HashMap::new();
        for id in ids
            .iter()
            .filter(|i| i.media_type == Some(MediaType::Episode))
        {
            if let Some(t) = &id.title {
                titles
                    .entry(normalise_title(t))
                    .or_insert_with(|| (t.clone(), 0))
                    .1 += 1;
            }
            if let (true, [s]) = (
                id.mark.is_some_and(EpisodeMark::is_explicit),
                id.seasons.as_slice(),
            ) {
                *seasons.entry(*s).or_default() += 1;
            }
        }
        let title = titles
            .into_values()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .filter(|(_, n)| *n * 2 > ids.len().max(1) || *n >= 3);
        let season = match seasons.len() {
            1 => seasons.into_keys().next(),
            _ => None,
        };
        let absolute = match &title {
            Some((t, _)) => {
                let norm = normalise_title(t);
                ids.iter()
                    .filter(|i| {
                        i.mark == Some(EpisodeMark::Absolute)
                            && i.title.as_deref().map(normalise_title) == Some(norm.clone())
                    })
                    .count()
            }
            None => 0,
        };
        Self {
            title,
            season,
            absolute,
        }
    }
}

/// The folder part of a relative path (empty for a file at the root).
pub(crate) fn folder_of(rel: &str) -> &str {
    match rel.rfind(['/', '\\']) {
        Some(i) => &rel[..i],
        None => "",
    }
}

/// Identifies many paths, those sharing a folder together (`shelf identify --context`).
pub fn identify_all(paths: &[String], hint: Hint) -> Vec<Identification> {
    let ids: Vec<Identification> = paths.iter().map(|p| identify(p, hint)).collect();
    let mut by_folder: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in paths.iter().enumerate() {
        by_folder.entry(folder_of(p)).or_default().push(i);
    }
    let mut out = ids.clone();
    for members in by_folder.values() {
        if members.len() < 2 {
            continue;
        }
        let group: Vec<Identification> = members.iter().map(|&i| ids[i].clone()).collect();
        let s = Siblings::from_ids(&group);
        for &i in members {
            out[i] = refine(&paths[i], ids[i].clone(), Some(&s), None);
        }
    }
    out
}

/// `identify`, then what the siblings and the catalog's titles add.
pub fn identify_in(
    rel: &str,
    hint: Hint,
    siblings: Option<&Siblings>,
    known: Option<&KnownTitles>,
) -> Identification {
    let id = identify(rel, hint);
    refine(rel, id, siblings, known)
}

/// Applies context to an identification already made of `rel`.
pub(crate) fn refine(
    rel: &str,
    mut id: Identification,
    siblings: Option<&Siblings>,
    known: Option<&KnownTitles>,
) -> Identification {
    // (An arc's or a group's special's number is not the show's count: neither the
    // catalog's show nor the files beside it say which of the show's episodes it is.)
    if id.extra.is_some() || id.conflict.is_some() || id.own_count {
        return id;
    }
    if let Some(k) = known.filter(|k| !k.is_empty()) {
        id = with_known_title(rel, id, k);
    }
    if let Some(s) = siblings {
        id = with_siblings(id, s);
    }
    id
}

fn with_known_title(rel: &str, mut id: Identification, known: &KnownTitles) -> Identification {
    if let Some(t) = id.full_title()
        && let Some(spelled) = known.get(&normalise_title(&t))
    {
        id.title = Some(spelled.to_string());
        id.country = None;
        if id.media_type == Some(MediaType::Episode) && !id.episodes.is_empty() {
            // The title's own number is no doubt once the catalog knows it (`The 100`).
            id.confidence = super::settled((id.confidence + 0.08).clamp(0.82, 0.95));
            id.evidence.push("the title is already in the catalog");
        }
        return id;
    }
    // `the.100.109`: a known title, then what is left of the name.
    let Some(file) = split_path(rel).last().copied() else {
        return id;
    };
    let norm = normalise_title(stem(file));
    let words: Vec<&str> = norm.split(' ').collect();
    for n in (1..words.len().min(known.max_words + 1)).rev() {
        let Some(title) = known.get(&words[..n].join(" ")) else {
            continue;
        };
        let rest = words[n..].join(".");
        let ctx = NameContext {
            folder_season: None,
            episodic: true,
            films: false,
        };
        let facts = name::read(&rest, ctx);
        if facts.episodes.is_empty() || facts.title.is_some() {
            continue;
        }
        id.media_type = Some(MediaType::Episode);
        id.title = Some(title.to_string());
        id.year = None;
        id.seasons = facts.seasons;
        id.episodes = facts.episodes;
        id.absolute = facts.absolute;
        id.mark = facts.mark;
        id.confidence = 0.85;
        id.evidence = vec!["a title already in the catalog, then an episode number"];
        return id;
    }
    id
}

fn with_siblings(mut id: Identification, s: &Siblings) -> Identification {
    let Some((title, votes)) = &s.title else {
        return id;
    };
    let norm = normalise_title(title);
    // `101.mkv` beside `Show S01E02.mkv`: season and episode, in the folder's season
    // (read alone as absolute, or as packed already).
    let packed = match (id.mark, id.seasons.as_slice(), id.episodes.as_slice()) {
        (Some(EpisodeMark::Absolute), _, [n]) => Some(*n),
        (Some(EpisodeMark::Packed), [s], [e]) => Some(s * 100 + e),
        _ => None,
    };
    if let (Some(season), Some(n)) = (s.season, packed)
        && (100..10_000).contains(&n)
        && n / 100 == season
        && n % 100 > 0
        && id
            .title
            .as_deref()
            .is_none_or(|t| normalise_title(t) == norm)
    {
        id.seasons = vec![season];
        id.episodes = vec![n % 100];
        id.absolute.clear();
        id.mark = Some(EpisodeMark::Packed);
        id.title = Some(title.clone());
        id.confidence = 0.85;
        id.evidence
            .push("season and episode, in the season of the files beside it");
        return id;
    }
    // An episode number with no title (`01 - Pilot.mkv` beside `Show - 02.mkv`).
    if id.title.is_none() && id.media_type == Some(MediaType::Episode) && !id.episodes.is_empty() {
        id.title = Some(title.clone());
        id.confidence = id.confidence.max(0.8);
        id.evidence.push("the title of the files beside it");
        return id;
    }
    // A folder numbered absolutely under one title: each number is an episode of it.
    if id.mark == Some(EpisodeMark::Absolute)
        && s.absolute >= 3
        && *votes >= 3
        && id.title.as_deref().map(normalise_title) == Some(norm)
    {
        id.confidence = id.confidence.max(0.85);
        id.evidence.push("numbered like the files beside it");
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(names: &[&str]) -> Siblings {
        Siblings::of(names, Hint::Mixed)
    }

    #[test]
    fn a_bare_number_beside_sxxeyy_takes_their_season() {
        let s = folder(&[
            "Show/Show S01E02.mkv",
            "Show/Show S01E03.mkv",
            "Show/101.mkv",
        ]);
        let id = identify_in("Show/101.mkv", Hint::Mixed, Some(&s), None);
        assert_eq!(
            (id.seasons.clone(), id.episodes.clone()),
            (vec![1], vec![1])
        );
        assert_eq!(id.title.as_deref(), Some("Show"));
        assert!(id.confidence >= 0.8, "{id:?}");
    }

    #[test]
    fn an_absolute_run_is_one_show() {
        // A long series' numbers with only tags after them: unsure alone (it could be a
        // title's number), sure as a run. (A zero-padded or dashed number is sure alone.)
        let names: Vec<String> = (1..=5)
            .map(|n| format!("Anime/Show.Name.{}.1080p.WEB.mkv", 1088 + n))
            .collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let alone = identify(refs[0], Hint::Mixed);
        let s = folder(&refs);
        let id = identify_in(refs[0], Hint::Mixed, Some(&s), None);
        assert!(
            alone.confidence < 0.8 && id.confidence >= 0.8,
            "{alone:?} {id:?}"
        );
        assert_eq!(id.episodes, vec![1089]);
    }

    #[test]
    fn a_known_title_reads_the_rest_as_an_episode() {
        let k = KnownTitles::new(["The 100".to_string()]);
        let alone = identify("the.100.109.mkv", Hint::Mixed);
        let id = identify_in("the.100.109.mkv", Hint::Mixed, None, Some(&k));
        assert!(alone.confidence < 0.8, "{alone:?}");
        assert_eq!(id.title.as_deref(), Some("The 100"));
        assert_eq!(
            (id.seasons.clone(), id.episodes.clone()),
            (vec![1], vec![9])
        );
        assert!(id.confidence >= 0.8);
        // Only real extensions are stripped: `9-1-1.103` has none.
        let k = KnownTitles::new(["9-1-1".to_string()]);
        for n in ["9-1-1.103", "9-1-1.103.mkv"] {
            let id = identify_in(n, Hint::Mixed, None, Some(&k));
            assert_eq!(id.title.as_deref(), Some("9-1-1"), "{n}: {id:?}");
            assert!(!id.episodes.is_empty(), "{n}: {id:?}");
        }
        // Nothing known: nothing changes.
        let none = identify_in(
            "the.100.109.mkv",
            Hint::Mixed,
            None,
            Some(&KnownTitles::default()),
        );
        assert_eq!(none, alone);
    }

    #[test]
    fn an_arc_stays_a_question_whatever_the_context() {
        let names = [
            "A/[Grp] Harbour - Second Tide - 01 [1080p].mkv",
            "A/[Grp] Harbour - Second Tide - 02 [1080p].mkv",
            "A/[Grp] Harbour - Second Tide - 03 [1080p].mkv",
        ];
        let s = folder(&names);
        let k = KnownTitles::new(["Harbour".to_string()]);
        for n in names {
            let id = identify_in(n, Hint::Mixed, Some(&s), Some(&k));
            assert_eq!(id.title.as_deref(), Some("Harbour"), "{id:?}");
            assert!(
                id.confidence < 0.8,
                "episode 1 of the arc is not the show's: {id:?}"
            );
        }
        // Nor a group's special.
        let sp = "A/[Grp] Harbour - SP1 [1080p].mkv";
        let id = identify_in(sp, Hint::Mixed, Some(&s), Some(&k));
        assert_eq!(
            (id.seasons.clone(), id.episodes.clone()),
            (vec![0], vec![1])
        );
        assert!(id.confidence < 0.8, "{id:?}");
        // Without the arc, the same context makes a fansub's numbering sure.
        let names = [
            "B/[Grp] Harbour - 01 [1080p].mkv",
            "B/[Grp] Harbour - 02 [1080p].mkv",
            "B/[Grp] Harbour - 03 [1080p].mkv",
        ];
        let s = folder(&names);
        let id = identify_in(names[0], Hint::Mixed, Some(&s), Some(&k));
        assert!(id.confidence >= 0.8, "{id:?}");
    }

    #[test]
    fn siblings_never_override_a_conflict_or_a_sure_reading() {
        let s = folder(&[
            "A/Other S02E01.mkv",
            "A/Other S02E02.mkv",
            "A/Other S02E03.mkv",
        ]);
        let id = identify_in("A/Mine S05E05.mkv", Hint::Mixed, Some(&s), None);
        assert_eq!(id.title.as_deref(), Some("Mine"));
        assert_eq!(id.seasons, vec![5]);
    }
}
