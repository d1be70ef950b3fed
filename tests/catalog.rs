//! The catalog itself: migrations from empty, pragmas, constraints, version guard, byte paths.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Env;
use rusqlite::params;
use shelf::catalog::{self, CatalogError, Mode, SCHEMA_VERSION};

const TABLES: &[&str] = &[
    "assets",
    "change_history",
    "changeset_errors",
    "changesets",
    "collections",
    "episode_assets",
    "episodes",
    "markers",
    "path_mappings",
    "provider_refs",
    "review_items",
    "seasons",
    "service_status",
    "service_status_history",
    "sources",
    "title_assets",
    "titles",
];

#[test]
fn migrates_an_empty_file_to_the_whole_schema() {
    let env = Env::new();
    let c = catalog::open(&env.db, Mode::ReadWrite).unwrap();
    let v: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION);
    for t in TABLES {
        let n: i64 = c
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?1",
                [t],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "table {t} missing");
    }
    // Opening again is a no-op, not a second migration.
    drop(c);
    let c = catalog::open(&env.db, Mode::ReadWrite).unwrap();
    let v: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION);
}

/// A row whose parent can be deleted is found by an index when it is: every foreign key
/// leads some index of its table, but those to `changesets`, which are never deleted (the
/// catalog refuses to, migration 0017) and so are indexed only where a query reads them.
#[test]
fn every_foreign_key_whose_parent_can_go_has_an_index() {
    let env = Env::new();
    let c = env.conn();
    c.execute_batch(
        "INSERT INTO changesets (kind, started_at) VALUES ('scan', '2024-01-01T00:00:00.000Z')",
    )
    .unwrap();
    let refused = c.execute("DELETE FROM changesets", []).unwrap_err();
    assert!(refused.to_string().contains("never deleted"), "{refused}");
    for t in TABLES {
        let fks: Vec<String> = c
            .prepare(&format!(
                "SELECT \"from\" FROM pragma_foreign_key_list('{t}') WHERE \"table\" != 'changesets'"
            ))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for col in fks {
            // Some index of the table must lead with this column.
            let n: i64 = c
                .query_row(
                    "SELECT count(*) FROM pragma_index_list(?1) il
                     JOIN pragma_index_info(il.name) ii ON ii.seqno = 0
                     WHERE ii.name = ?2",
                    params![t, col],
                    |r| r.get(0),
                )
                .unwrap();
            assert!(n > 0, "{t}.{col} is a foreign key without an index");
        }
    }
}

#[test]
fn connections_have_the_pragmas() {
    let env = Env::new();
    for mode in [Mode::ReadWrite, Mode::ReadOnly] {
        let c = catalog::open(&env.db, mode).unwrap();
        let jm: String = c
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        let fk: i64 = c
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        let bt: i64 = c
            .query_row("PRAGMA busy_timeout", [], |r| r.get(0))
            .unwrap();
        let sy: i64 = c.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
        assert_eq!(jm, "wal", "{mode:?}");
        assert_eq!(fk, 1, "{mode:?}");
        assert_eq!(bt, 30_000, "{mode:?}");
        assert_eq!(sy, 1, "{mode:?} synchronous=NORMAL");
    }
}

#[test]
fn a_newer_catalog_is_a_clear_error_not_a_crash() {
    let env = Env::new();
    env.conn().pragma_update(None, "user_version", 99).unwrap();
    match catalog::open(&env.db, Mode::ReadWrite) {
        Err(CatalogError::TooNew { found: 99, .. }) => {}
        other => panic!("expected TooNew, got {other:?}"),
    }
    let out = env.shelf().args(["source", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("schema version 99") && err.contains("newer"),
        "{err}"
    );
}

/// A catalog as a shelf of schema `version` left it (foreign keys on, as shelf runs).
fn catalog_at(env: &Env, version: usize) -> rusqlite::Connection {
    let c = rusqlite::Connection::open(&env.db).unwrap();
    c.execute_batch("PRAGMA foreign_keys = ON").unwrap();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in &files[..version] {
        c.execute_batch(&std::fs::read_to_string(f).unwrap())
            .unwrap();
    }
    c.pragma_update(None, "user_version", version as i64)
        .unwrap();
    c
}

/// Each table holds as many rows as said.
fn assert_counts(c: &rusqlite::Connection, want: &[(&str, i64)]) {
    for (table, n) in want {
        let got: i64 = c
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap();
        assert_eq!(got, *n, "{table}");
    }
}

/// A catalog as schema `version` left it, holding `setup`'s rows and `rows`, then opened by
/// this shelf (which migrates it).
fn migrated_from(env: &Env, version: usize, rows: &str) -> rusqlite::Connection {
    {
        let c = catalog_at(env, version);
        setup(&c);
        c.execute_batch(rows).unwrap();
    }
    catalog::open(&env.db, Mode::ReadWrite).unwrap()
}

fn setup(c: &rusqlite::Connection) -> (i64, i64) {
    c.execute_batch(
        "INSERT INTO sources (name, kind, created_at, updated_at) VALUES ('s', 'filesystem', 'now', 'now');
         INSERT INTO collections (source_id, external_id, name, root, created_at, updated_at)
             VALUES (1, 'x', 's', X'2f6d', 'now', 'now');
         INSERT INTO assets (collection_id, rel_path, size, mtime_ns, kind, first_seen, last_seen)
             VALUES (1, X'612e6d6b76', 1, 1, 'video', '2024', '2024');",
    )
    .unwrap();
    (1, 1)
}

#[test]
fn constraints_reject_bad_rows() {
    let env = Env::new();
    let c = env.conn();
    let (_, asset) = setup(&c);
    let bad: &[(&str, &str)] = &[
        ("malformed sha256", "UPDATE assets SET sha256 = 'XYZ' WHERE id = 1"),
        ("sha256 one digit too long", "UPDATE assets SET sha256 = lower(hex(randomblob(32))) || 'a' WHERE id = 1"),
        ("latitude out of range", "UPDATE assets SET gps_lat = 91 WHERE id = 1"),
        ("longitude out of range", "UPDATE assets SET gps_lon = -181 WHERE id = 1"),
        ("unknown kind", "UPDATE assets SET kind = 'movie' WHERE id = 1"),
        ("kind in the wrong case", "UPDATE assets SET kind = 'Video' WHERE id = 1"),
        ("negative size", "UPDATE assets SET size = -1 WHERE id = 1"),
        ("bad captured_at_source", "UPDATE assets SET captured_at_source = 'guess' WHERE id = 1"),
        (
            "marker end before start",
            "INSERT INTO markers (asset_id, kind, start_ms, end_ms, source, created_at, updated_at)
             VALUES (1, 'avail', 5000, 4000, 'manual', 'x', 'x')",
        ),
        (
            "unknown marker kind",
            "INSERT INTO markers (asset_id, kind, start_ms, end_ms, source, created_at, updated_at)
             VALUES (1, 'ad', 0, 0, 'manual', 'x', 'x')",
        ),
        (
            "unknown marker source",
            "INSERT INTO markers (asset_id, kind, start_ms, end_ms, source, created_at, updated_at)
             VALUES (1, 'intro', 0, 0, 'guess', 'x', 'x')",
        ),
        (
            "confidence above 1",
            "INSERT INTO review_items (asset_id, reason, reason_text, confidence, created_at)
             VALUES (1, 'low_confidence', 't', 1.5, 'x')",
        ),
        (
            "unknown review reason",
            "INSERT INTO review_items (asset_id, reason, reason_text, confidence, created_at)
             VALUES (1, 'vibes', 't', 0.5, 'x')",
        ),
        (
            "same path twice in a collection",
            "INSERT INTO assets (collection_id, rel_path, size, mtime_ns, kind, first_seen, last_seen)
             VALUES (1, X'612e6d6b76', 1, 1, 'video', '2024', '2024')",
        ),
        (
            "asset in a collection that does not exist",
            "INSERT INTO assets (collection_id, rel_path, size, mtime_ns, kind, first_seen, last_seen)
             VALUES (42, X'62', 1, 1, 'video', '2024', '2024')",
        ),
        (
            "unknown changeset status",
            "INSERT INTO changesets (kind, status, started_at) VALUES ('scan', 'done', 'x')",
        ),
        (
            "unknown service status",
            "INSERT INTO service_status (service, status, last_heartbeat, interval_secs, updated_at)
             VALUES ('x', 'FINE', 'x', 10, 'x')",
        ),
    ];
    for (what, sql) in bad {
        assert!(c.execute(sql, []).is_err(), "accepted: {what}");
    }
    // Seasons are unique per title; one title may not have season 1 twice.
    c.execute_batch(
        "INSERT INTO titles (kind, name, norm_name, sort_name, created_at, updated_at)
         VALUES ('show', 'S', 's', 's', 'x', 'x');
         INSERT INTO seasons (title_id, number, created_at) VALUES (1, 1, 'x');",
    )
    .unwrap();
    assert!(
        c.execute(
            "INSERT INTO seasons (title_id, number, created_at) VALUES (1, 1, 'x')",
            []
        )
        .is_err()
    );
    // Good values pass (every word each list allows), and deleting an asset takes its
    // markers with it.
    for kind in ["video", "audio", "image", "subtitle", "other"] {
        c.execute("UPDATE assets SET kind = ?1 WHERE id = 1", [kind])
            .unwrap();
    }
    for source in ["exif", "exif_modified", "filename", "container", "mtime"] {
        c.execute(
            "UPDATE assets SET captured_at_source = ?1 WHERE id = 1",
            [source],
        )
        .unwrap();
    }
    c.execute(
        "UPDATE assets SET sha256 = ?1 WHERE id = 1",
        ["0123456789abcdef".repeat(4)],
    )
    .unwrap();
    for kind in ["chapter", "avail", "bumper", "intro", "outro"] {
        for source in ["file", "manual", "generated", "plex", "jellyfin"] {
            c.execute(
                "INSERT INTO markers (asset_id, kind, start_ms, end_ms, source, confidence, created_at, updated_at)
                 VALUES (?1, ?2, 1000, 1000, ?3, 0.5, 'x', 'x')",
                rusqlite::params![asset, kind, source],
            )
            .unwrap();
        }
    }
    c.execute("DELETE FROM assets WHERE id = ?1", [asset])
        .unwrap();
    let n: i64 = c
        .query_row("SELECT count(*) FROM markers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn byte_paths_round_trip_exactly() {
    let env = Env::new();
    let c = env.conn();
    setup(&c);
    let nasty: Vec<u8> = b"dir/na\xffme\x1b[31m\n.mkv".to_vec();
    c.execute(
        "INSERT INTO assets (collection_id, rel_path, size, mtime_ns, kind, first_seen, last_seen)
         VALUES (1, ?1, 1, 1, 'video', '2024', '2024')",
        [&nasty],
    )
    .unwrap();
    let back: Vec<u8> = c
        .query_row("SELECT rel_path FROM assets WHERE id = 2", [], |r| r.get(0))
        .unwrap();
    assert_eq!(back, nasty);
}

#[test]
fn a_file_waiting_for_ffprobe_keeps_waiting_across_the_flag_migration() {
    // A catalog as version 6 left it: the flag was the text of probe_error.
    let env = Env::new();
    let c = migrated_from(
        &env,
        6,
            "INSERT INTO assets (collection_id, rel_path, size, mtime_ns, kind, first_seen, last_seen, probe_error)
                 VALUES (1, X'622e617669', 1, 1, 'video', '2024', '2024',
                         'not read yet: its container needs ffprobe, which is not installed');",
    );
    let flags: Vec<(String, bool)> = c
        .prepare("SELECT CAST(rel_path AS TEXT), needs_ffprobe FROM assets ORDER BY rel_path")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        flags,
        vec![("a.mkv".to_string(), false), ("b.avi".to_string(), true)]
    );
    // The scan's snapshot reads the flag, not the sentence.
    let snap = catalog::assets::snapshot(&c, shelf::model::CollectionId(1)).unwrap();
    assert!(snap.get(b"b.avi").unwrap().needs_ffprobe);
    assert!(!snap.get(b"a.mkv").unwrap().needs_ffprobe);
    // Nor does any row keep the sentence any more (migration 0019): it is said from the flag.
    let kept: i64 = c
        .query_row("SELECT count(probe_error) FROM assets", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, 0);
}

/// What a scan walks, and a collection found by its root, is what `source list` shows,
/// without the file counts.
#[test]
fn collections_to_scan_are_the_listed_ones_without_counts() {
    let env = Env::new();
    let lib = env.path("lib");
    common::library(&lib);
    env.scan_json(&[&lib]);
    std::fs::create_dir_all(env.path("Movies")).unwrap();
    env.add_collection(
        "other",
        &env.path("Movies"),
        shelf::model::CollectionKind::Movies,
    );
    let c = env.conn();
    let listed = catalog::sources::list(&c).unwrap();
    let to_scan = catalog::sources::list_to_scan(&c).unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().any(|r| r.assets > 0));
    let without_counts: Vec<_> = listed
        .into_iter()
        .map(|mut r| {
            (r.assets, r.missing) = (0, 0);
            r
        })
        .collect();
    let json = |rows: &[catalog::sources::CollectionRow]| serde_json::to_value(rows).unwrap();
    assert_eq!(json(&to_scan), json(&without_counts));
    // A lookup by root (`shelf --scan PATH`, adding a source) does not count either.
    let by_root: Vec<_> = without_counts
        .iter()
        .map(|r| {
            catalog::sources::by_root(&c, r.root.as_deref().unwrap())
                .unwrap()
                .unwrap()
        })
        .collect();
    assert_eq!(json(&by_root), json(&without_counts));
}

/// Version 10 rebuilds `sources` and `markers` to widen their CHECKs: on a catalog from
/// before, with foreign keys on as shelf runs, nothing under a source may be lost (a drop
/// with foreign keys on would delete every collection, asset and marker under it).
#[test]
fn the_media_server_migration_keeps_every_row_under_the_rebuilt_tables() {
    let env = Env::new();
    let c = migrated_from(
        &env,
        9,
        "INSERT INTO markers (asset_id, kind, start_ms, end_ms, source, created_at, updated_at)
                 VALUES (1, 'intro', 0, 10, 'manual', 'now', 'now');
             INSERT INTO path_mappings (collection_id, remote_prefix, local_prefix, created_at)
                 VALUES (1, '/r', X'2f6d', 'now');",
    );
    assert_counts(
        &c,
        &[
            ("sources", 1),
            ("collections", 1),
            ("assets", 1),
            ("markers", 1),
            ("path_mappings", 1),
        ],
    );
    let fk: bool = c
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert!(fk, "foreign keys are on again after the migration");
    // The widened checks take the new values.
    c.execute_batch(
        "INSERT INTO sources (name, kind, created_at, updated_at) VALUES ('j', 'jellyfin', 'now', 'now');
         INSERT INTO markers (asset_id, kind, start_ms, end_ms, source, created_at, updated_at)
             VALUES (1, 'outro', 5, 10, 'plex', 'now', 'now');",
    )
    .unwrap();
}

/// Version 13 rebuilds `assets` (its hash check) and 14 replaces episodes' indexes: on a
/// catalog from before, every asset, episode and link stays, and the rules hold after.
#[test]
fn the_write_cost_migrations_keep_every_row_and_rule() {
    let env = Env::new();
    let c = migrated_from(
        &env,
        12,
        "UPDATE assets SET sha256 = 'ab' || substr(lower(hex(randomblob(32))), 3);
             INSERT INTO titles (kind, name, norm_name, sort_name, created_at, updated_at)
                 VALUES ('show', 'Show', 'show', 'show', 'now', 'now');
             INSERT INTO seasons (title_id, number, created_at) VALUES (1, 1, 'now');
             INSERT INTO episodes (title_id, season_id, number, created_at, updated_at)
                 VALUES (1, 1, 1, 'now', 'now');
             INSERT INTO episodes (title_id, season_id, air_date, created_at, updated_at)
                 VALUES (1, 1, '2024-01-02', 'now', 'now');
             INSERT INTO episode_assets (episode_id, asset_id) VALUES (1, 1);",
    );
    assert_counts(&c, &[("assets", 1), ("episodes", 2), ("episode_assets", 1)]);
    let sha: String = c
        .query_row("SELECT sha256 FROM assets", [], |r| r.get(0))
        .unwrap();
    assert!(sha.starts_with("ab") && sha.len() == 64, "{sha}");
    // The hash's length check and the episode's uniqueness hold on the migrated tables;
    // episodes without a number may still share a season.
    assert!(
        c.execute("UPDATE assets SET sha256 = sha256 || 'a'", [])
            .is_err()
    );
    assert!(
        c.execute(
            "INSERT INTO episodes (title_id, season_id, number, created_at, updated_at)
                 VALUES (1, 1, 1, 'now', 'now')",
            [],
        )
        .is_err()
    );
    c.execute(
        "INSERT INTO episodes (title_id, season_id, air_date, created_at, updated_at)
             VALUES (1, 1, '2024-01-03', 'now', 'now')",
        [],
    )
    .unwrap();
}

/// Migration 0016 says the same CHECKs more cheaply: an older catalog's assets and markers
/// keep every row and value, and the rules still hold on the rebuilt tables.
#[test]
fn the_cheap_checks_migration_keeps_every_row_and_rule() {
    let env = Env::new();
    let hash = "0123456789abcdef".repeat(4);
    // Its first 15 hex digits, as migration 0015 and shelf key it.
    let key = 0x0012_3456_789a_bcde_i64;
    let c = migrated_from(
        &env,
        15,
        &format!(
            "UPDATE assets SET sha256 = '{hash}', content_key = {key},
                 captured_at_source = 'exif', kind = 'image';
             INSERT INTO markers (asset_id, kind, start_ms, end_ms, source, created_at, updated_at)
                 VALUES (1, 'intro', 0, 9000, 'plex', 'x', 'x');"
        ),
    );
    assert_counts(&c, &[("assets", 1), ("markers", 1)]);
    let row: (String, String, String, i64) = c
        .query_row(
            "SELECT sha256, kind, captured_at_source, content_key FROM assets",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(row, (hash, "image".into(), "exif".into(), key));
    let marker: (String, String, i64) = c
        .query_row("SELECT kind, source, end_ms FROM markers", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!(marker, ("intro".into(), "plex".into(), 9000));
    for bad in [
        "UPDATE assets SET kind = 'movie'",
        "UPDATE assets SET sha256 = substr(sha256, 2)",
        "UPDATE assets SET captured_at_source = 'guess'",
        "UPDATE markers SET kind = 'ad'",
        "UPDATE markers SET source = 'guess'",
    ] {
        assert!(c.execute(bad, []).is_err(), "accepted: {bad}");
    }
    // The indexes came back with the table: duplicates are still looked up by key.
    let plan: String = c
        .query_row(
            "EXPLAIN QUERY PLAN SELECT id FROM assets WHERE content_key = 1",
            [],
            |r| r.get(3),
        )
        .unwrap();
    assert!(plan.contains("ix_assets_content"), "{plan}");
    assert!(catalog::check(&c).unwrap().is_empty());
}

/// Two asset indexes hold only the files their query asks about (migration 0017): the photo
/// timeline's, photos (an older catalog's are in it, in capture order); the one of files by
/// the scan that last changed them, files changed after the scan that created them. SQLite
/// refuses to answer from either about any other file.
#[test]
fn the_partial_asset_indexes_hold_only_what_they_serve() {
    let env = Env::new();
    let c = migrated_from(
        &env,
        16,
        "INSERT INTO assets (collection_id, rel_path, size, mtime_ns, kind, first_seen, last_seen, captured_at)
             VALUES (1, X'622e6a7067', 1, 1, 'image', '2024', '2024', '2023-12-25T12:00:00.000Z'),
                    (1, X'632e6a7067', 1, 1, 'image', '2024', '2024', '2021-01-01T00:00:00.000Z');",
    );
    assert_counts(&c, &[("assets", 3)]);
    let photos: Vec<String> = c
        .prepare(
            "SELECT CAST(rel_path AS TEXT) FROM assets INDEXED BY ix_assets_photos_captured
             WHERE kind = 'image' ORDER BY kind, coalesce(captured_at, ''), id",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(photos, ["c.jpg", "b.jpg"]);
    for (index, asked) in [
        ("ix_assets_photos_captured", "kind = 'video'"),
        ("ix_assets_updated_changeset", "updated_changeset_id = 1"),
    ] {
        let q = format!("SELECT count(*) FROM assets INDEXED BY {index} WHERE {asked}");
        assert!(c.prepare(&q).is_err(), "{index} answered {asked}");
    }
    let changed: i64 = c
        .query_row(
            "SELECT count(*) FROM assets INDEXED BY ix_assets_updated_changeset
             WHERE updated_changeset_id = 1 AND updated_changeset_id IS NOT created_changeset_id",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(changed, 0);
    let old: i64 = c
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name = 'ix_assets_kind_captured'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(old, 0);
    assert!(catalog::check(&c).unwrap().is_empty());
}

/// A hash's form is kept by shelf, not by the row (migration 0018): an older catalog keeps
/// every asset, value and index through the rebuild; the row still refuses a hash of the
/// wrong length, and one in any other form than lowercase hex, written by other means, is
/// named by `db check`.
#[test]
fn the_hash_form_migration_keeps_every_row_and_check_names_a_bad_hash() {
    let env = Env::new();
    let hash = "0123456789abcdef".repeat(4);
    let key = 0x0012_3456_789a_bcde_i64;
    let c = migrated_from(
        &env,
        17,
        &format!(
            "UPDATE assets SET sha256 = '{hash}', content_key = {key}, kind = 'image',
                 captured_at = '2024-01-01T00:00:00.000Z';"
        ),
    );
    assert_counts(&c, &[("assets", 1)]);
    let row: (String, i64, String) = c
        .query_row("SELECT sha256, content_key, kind FROM assets", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!(row, (hash.clone(), key, "image".into()));
    let indexes = |c: &rusqlite::Connection| -> Vec<String> {
        c.prepare("SELECT sql FROM sqlite_schema WHERE tbl_name = 'assets' AND type = 'index' AND sql IS NOT NULL ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let fresh_env = Env::new();
    let fresh = fresh_env.conn();
    assert_eq!(indexes(&c), indexes(&fresh), "the rebuilt table's indexes");
    assert_eq!(indexes(&c).len(), 11);
    assert!(catalog::check(&c).unwrap().is_empty());
    assert!(
        c.execute("UPDATE assets SET sha256 = 'abc'", []).is_err(),
        "a hash of the wrong length"
    );
    for bad in [
        hash.to_uppercase(),
        format!("{}g", &hash[..63]),
        format!("{} ", &hash[..63]),
        format!("A{}", &hash[1..]),
    ] {
        c.execute("UPDATE assets SET sha256 = ?1", [&bad]).unwrap();
        let found = catalog::check(&c).unwrap();
        assert!(
            found
                .iter()
                .any(|f| f.contains("not 64 lowercase hex digits") && f.contains(&bad)),
            "{bad:?}: {found:?}"
        );
    }
    c.execute("UPDATE assets SET sha256 = ?1", [&hash]).unwrap();
    assert!(catalog::check(&c).unwrap().is_empty());
}

/// Duplicates are found by a hash's integer key (migration 0015): an older catalog's hashes
/// get their keys, its copies still make a group, and `db check` names a key that does not
/// match its hash.
#[test]
fn the_content_key_migration_keys_every_hash_and_keeps_groups() {
    let env = Env::new();
    let same = "0123456789abcdef".repeat(4);
    let other = "fedcba9876543210".repeat(4);
    let c = migrated_from(
        &env,
        14,
        &format!(
            "UPDATE assets SET sha256 = '{same}', size = 10;
             INSERT INTO assets (collection_id, rel_path, size, mtime_ns, kind, first_seen, last_seen, sha256)
                 VALUES (1, X'62', 10, 1, 'video', '2024', '2024', '{same}'),
                        (1, X'63', 10, 1, 'video', '2024', '2024', '{other}'),
                        (1, X'64', 10, 1, 'video', '2024', '2024', NULL);"
        ),
    );
    let keys: Vec<Option<i64>> = c
        .prepare("SELECT content_key FROM assets ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    // The first 15 hex digits as a number, written out by hand.
    let want_same = Some(0x0012_3456_789a_bcde_i64);
    let want_other = Some(0x0fed_cba9_8765_4321_i64);
    assert_eq!(keys, vec![want_same, want_same, want_other, None]);
    let groups = catalog::dupes::groups(&c).unwrap();
    assert_eq!(groups.len(), 1, "{groups:?}");
    assert_eq!(groups[0].sha256, same);
    assert!(catalog::check(&c).unwrap().is_empty());
    c.execute("UPDATE assets SET content_key = 7 WHERE id = 3", [])
        .unwrap();
    let problems = catalog::check(&c).unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("asset 3"), "{problems:?}");
}

/// Upgrading an existing catalog says so first (a large one takes seconds); a new catalog
/// and an up-to-date one say nothing.
#[test]
fn upgrading_a_catalog_says_so_once() {
    let env = Env::new();
    {
        let c = catalog_at(&env, 14);
        setup(&c);
    }
    let stderr = |env: &Env| {
        let out = env.shelf().args(["db", "info"]).output().unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let first = stderr(&env);
    assert!(
        first.contains("updating the catalog") && first.contains("from schema 14 to"),
        "{first}"
    );
    assert_eq!(stderr(&env), "", "the second open has nothing to update");
    let fresh = Env::new();
    assert_eq!(stderr(&fresh), "", "a new catalog is made, not updated");
}

/// A new catalog is readable by its owner only: it may come to hold a server's token.
#[test]
fn a_new_catalog_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    drop(env.conn());
    let mode = std::fs::metadata(&env.db).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
}

/// Migration 0022 folds the accents of every title's normalised name (`Amélie` and
/// `Amelie` are one title now), so a title made before it is still found by its name.
#[test]
fn the_accent_migration_refolds_every_title_name() {
    let env = Env::new();
    let c = migrated_from(
        &env,
        21,
        "INSERT INTO titles (kind, name, norm_name, sort_name, year, created_at, updated_at)
             VALUES ('movie', 'Amélie', 'amélie', 'amélie', 2001, 'now', 'now'),
                    ('show', 'Harbour Lights', 'harbour lights', 'harbour lights', NULL, 'now', 'now');",
    );
    let norms: Vec<String> = c
        .prepare("SELECT norm_name FROM titles ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(norms, ["amelie", "harbour lights"]);
}
