//! Path mappings: a path as another host (or a Plex server) reports it, turned into the path
//! on this host. Pure but for `usable_local`: the catalog supplies the rules, the caller
//! checks existence.
//!
//! Rules: `\` and `/` are the same separator; repeated and trailing separators are folded;
//! a prefix matches only at a path-component boundary (`/media/tv` matches `/media/tv/x` but
//! not `/media/tvshows/x`); the longest matching prefix wins.

use std::path::PathBuf;

use crate::paths;

/// Why a new mapping's local side cannot be used: it must be a folder that exists here and
/// can be read, or every path mapped through it would be "missing".
#[derive(Debug, thiserror::Error)]
pub(crate) enum UnusableLocal {
    #[error(
        "refused: the local side {shown} cannot be reached ({source}); a mapping must point at a folder that exists here"
    )]
    Unreachable {
        shown: String,
        source: std::io::Error,
    },
    #[error("refused: the local side {shown} is not a folder")]
    NotAFolder { shown: String },
    #[error("refused: the local side {shown} cannot be read ({source})")]
    Unreadable {
        shown: String,
        source: std::io::Error,
    },
}

/// Whether a new mapping's local side can be used.
pub(crate) fn usable_local(local: &std::path::Path) -> Result<(), UnusableLocal> {
    let shown = paths::show(local);
    match std::fs::metadata(local) {
        Err(source) => Err(UnusableLocal::Unreachable { shown, source }),
        Ok(m) if !m.is_dir() => Err(UnusableLocal::NotAFolder { shown }),
        Ok(_) => std::fs::read_dir(local)
            .map(drop)
            .map_err(|source| UnusableLocal::Unreadable { shown, source }),
    }
}

/// One folder a media server reads a collection from, and what it maps to here.
#[derive(Debug, Clone, PartialEq)]
pub struct RootState {
    pub remote: String,
    /// Where the collection's mappings put it; `None`: no mapping matches.
    pub local: Option<PathBuf>,
    /// The local folder exists here and can be read.
    pub readable: bool,
}

/// Each remote folder of the server collection `collection`, through its mappings.
pub fn server_roots(collection: &str, remote_roots: &[String], rules: &[Rule]) -> Vec<RootState> {
    let mine: Vec<Rule> = rules
        .iter()
        .filter(|r| r.collection == collection)
        .cloned()
        .collect();
    remote_roots
        .iter()
        .map(|r| match apply(&mine, r) {
            Some(m) => RootState {
                remote: r.clone(),
                readable: usable_local(&m.local).is_ok(),
                local: Some(m.local),
            },
            None => RootState {
                remote: r.clone(),
                local: None,
                readable: false,
            },
        })
        .collect()
}

/// What keeps a server collection from being scanned: each folder of it with no mapping,
/// or mapped to a folder that cannot be read here, with the command that fixes it. Empty
/// when every folder maps to a readable one. What `source enable` refuses on, the scan
/// goes offline on, and the Sources pane shows.
pub fn unmapped(collection: &str, remote_roots: &[String], rules: &[Rule]) -> Vec<String> {
    let mut fixes = Vec::new();
    if remote_roots.is_empty() && !rules.iter().any(|r| r.collection == collection) {
        fixes.push(format!(
            "the server reports no folder for it; add a mapping: shelf map add {collection:?} REMOTE_PREFIX LOCAL_PREFIX"
        ));
    }
    for r in server_roots(collection, remote_roots, rules) {
        match &r.local {
            None => fixes.push(format!(
                "no mapping for the server folder {}; run: shelf map add {collection:?} {:?} LOCAL_PREFIX",
                r.remote, r.remote
            )),
            Some(l) if !r.readable => fixes.push(format!(
                "{} maps to {}, which cannot be read here; fix the mount or the mapping (shelf map add {collection:?} {:?} LOCAL_PREFIX)",
                r.remote,
                paths::show(l),
                r.remote
            )),
            Some(_) => {}
        }
    }
    fixes
}

/// `source enable`'s refusal of a collection that is not ingestible yet; `None` when it is.
pub fn enable_refusal(collection: &str, remote_roots: &[String], rules: &[Rule]) -> Option<String> {
    let fixes = unmapped(collection, remote_roots, rules);
    (!fixes.is_empty()).then(|| {
        let lines: Vec<String> = fixes.iter().map(|f| format!("{collection}: {f}")).collect();
        format!("refused: not ingestible yet\n  {}", lines.join("\n  "))
    })
}

/// One rule as the catalog holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub id: i64,
    pub collection: String,
    pub remote_prefix: String,
    pub local_prefix: Vec<u8>,
}

/// The answer for one path.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Mapped<'a> {
    pub rule: &'a Rule,
    pub local: PathBuf,
}

/// Normalises a remote path or prefix: `\` → `/`, runs of separators folded, no trailing
/// separator (except a lone root `/`).
pub(crate) fn normalise(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    let mut last_sep = false;
    for c in p.chars() {
        let c = if c == '\\' { '/' } else { c };
        if c == '/' {
            if !last_sep {
                out.push('/');
            }
            last_sep = true;
        } else {
            out.push(c);
            last_sep = false;
        }
    }
    while out.len() > 1 && out.ends_with('/') {
        out.pop();
    }
    out
}

/// The rest of `path` after `prefix` when `prefix` matches at a component boundary
/// (both already normalised). `Some("")` for an exact match.
fn strip<'p>(path: &'p str, prefix: &str) -> Option<&'p str> {
    if prefix == "/" {
        return path.strip_prefix('/');
    }
    let rest = path.strip_prefix(prefix)?;
    if rest.is_empty() {
        Some("")
    } else {
        rest.strip_prefix('/')
    }
}

/// Applies the longest matching rule to `remote`; `None` when no rule matches.
pub(crate) fn apply<'a>(rules: &'a [Rule], remote: &str) -> Option<Mapped<'a>> {
    let path = normalise(remote);
    let (rule, rest) = rules
        .iter()
        .filter_map(|r| strip(&path, &normalise(&r.remote_prefix)).map(|rest| (r, rest)))
        .max_by_key(|(r, _)| normalise(&r.remote_prefix).len())?;
    let mut local = paths::from_bytes(&rule.local_prefix);
    if !rest.is_empty() {
        local.push(rest);
    }
    Some(Mapped { rule, local })
}

/// The other way: how the host behind the longest rule whose local side holds `local` names
/// it (the remote prefix, then the rest with `/`). `None` when no rule's local side holds it.
pub(crate) fn to_remote(rules: &[Rule], local: &[u8]) -> Option<String> {
    let holds = |r: &Rule| -> Option<usize> {
        let prefix = r.local_prefix.strip_suffix(b"/").unwrap_or(&r.local_prefix);
        let rest = local.strip_prefix(prefix)?;
        (rest.is_empty() || rest.starts_with(b"/")).then_some(prefix.len())
    };
    let (rule, at) = rules
        .iter()
        .filter_map(|r| holds(r).map(|n| (r, n)))
        .max_by_key(|(_, n)| *n)?;
    let rest = String::from_utf8_lossy(&local[at..]);
    let rest = rest.trim_start_matches('/');
    let base = rule.remote_prefix.trim_end_matches('/');
    Some(if rest.is_empty() {
        rule.remote_prefix.clone()
    } else {
        format!("{base}/{rest}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_paths_map_back_to_the_remote_name() {
        let rules = vec![
            rule(1, "/data", "/mnt/media"),
            rule(2, "//nas/tv", "/mnt/media/tv"),
        ];
        assert_eq!(
            to_remote(&rules, b"/mnt/media/tv/Show/S01E01.mkv").as_deref(),
            Some("/nas/tv/Show/S01E01.mkv"),
            "the longest local side wins"
        );
        assert_eq!(
            to_remote(&rules, b"/mnt/media/film.mkv").as_deref(),
            Some("/data/film.mkv")
        );
        assert_eq!(
            to_remote(&rules, b"/mnt/mediastuff/x.mkv"),
            None,
            "a component boundary"
        );
        assert_eq!(to_remote(&rules, b"/elsewhere/x.mkv"), None);
    }

    fn rule(id: i64, remote: &str, local: &str) -> Rule {
        Rule {
            id,
            collection: "c".into(),
            remote_prefix: normalise(remote),
            local_prefix: local.as_bytes().to_vec(),
        }
    }

    #[test]
    fn normalise_folds_separators() {
        assert_eq!(normalise(r"D:\Media\\TV\"), "D:/Media/TV");
        assert_eq!(normalise("/data//tv/"), "/data/tv");
        assert_eq!(normalise("/"), "/");
    }

    #[test]
    fn longest_prefix_at_a_component_boundary_wins() {
        let rules = vec![
            rule(1, "/data", "/mnt/a"),
            rule(2, "/data/tv", "/mnt/tv"),
            rule(3, r"D:\Media", "/srv/media"),
        ];
        let cases = [
            (
                "/data/tv/Show/S01E01.mkv",
                Some((2, "/mnt/tv/Show/S01E01.mkv")),
            ),
            ("/data/tvshows/x.mkv", Some((1, "/mnt/a/tvshows/x.mkv"))),
            ("/data/tv", Some((2, "/mnt/tv"))),
            ("/data/tv/", Some((2, "/mnt/tv"))),
            (
                r"D:\Media\Movies\A (1999)\a.mkv",
                Some((3, "/srv/media/Movies/A (1999)/a.mkv")),
            ),
            ("D:/Media/x.mkv", Some((3, "/srv/media/x.mkv"))),
            ("/dat/x", None),
            ("/other/data/tv/x", None),
            ("D:/Mediax/a", None),
        ];
        for (input, want) in cases {
            let got =
                apply(&rules, input).map(|m| (m.rule.id, m.local.to_string_lossy().into_owned()));
            assert_eq!(got, want.map(|(i, s)| (i, s.to_string())), "{input}");
        }
    }
}
