-- A content hash's form (64 lowercase hex digits) is shelf's to keep where it makes one, not
-- the row's CHECK to test on every write. The `NOT GLOB` test was the single costliest step
-- of a new file's write: a scan's writer is the one thread every new file waits on, and
-- this test was 9% of its CPU in a 100,000-file first scan (perf, five runs each: 1,783 ms
-- against 1,629 ms of the writer's samples). The rule stays, said where it costs nothing:
-- the catalog's three writes of a hash refuse one that is not lowercase hex (they are the
-- only writes of `assets.sha256`), and `shelf db check` reports any row written by other
-- means. The length stays a CHECK (it costs nothing measurable). Table rebuilt as 0013 and
-- 0016 did (foreign keys off, see catalog::migrate), rows and indexes as they were.
CREATE TABLE assets_new (
    id              INTEGER PRIMARY KEY,
    collection_id   INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    rel_path        BLOB    NOT NULL CHECK (length(rel_path) > 0),
    size            INTEGER NOT NULL CHECK (size >= 0),
    mtime_ns        INTEGER NOT NULL,
    sha256          TEXT    CHECK (sha256 IS NULL OR length(sha256) = 64),
    kind            TEXT    NOT NULL CHECK (kind = 'video' OR kind = 'audio' OR kind = 'image' OR kind = 'subtitle' OR kind = 'other'),
    -- probe results (filled by the probe stage)
    container       TEXT,
    duration_ms     INTEGER CHECK (duration_ms IS NULL OR duration_ms >= 0),
    video_codec     TEXT,
    audio_codec     TEXT,
    width           INTEGER CHECK (width IS NULL OR width > 0),
    height          INTEGER CHECK (height IS NULL OR height > 0),
    frame_rate      REAL    CHECK (frame_rate IS NULL OR frame_rate > 0),
    captured_at     TEXT,
    captured_at_source TEXT CHECK (captured_at_source IS NULL OR captured_at_source = 'exif' OR captured_at_source = 'exif_modified'
                        OR captured_at_source = 'filename' OR captured_at_source = 'container' OR captured_at_source = 'mtime'),
    gps_lat         REAL    CHECK (gps_lat IS NULL OR (gps_lat BETWEEN -90 AND 90)),
    gps_lon         REAL    CHECK (gps_lon IS NULL OR (gps_lon BETWEEN -180 AND 180)),
    gps_alt         REAL,
    camera_make     TEXT,
    camera_model    TEXT,
    orientation     INTEGER CHECK (orientation IS NULL OR orientation BETWEEN 1 AND 8),
    probed_at       TEXT,
    probe_failed    INTEGER NOT NULL DEFAULT 0 CHECK (probe_failed IN (0, 1)),
    -- lifecycle
    first_seen      TEXT    NOT NULL,
    last_seen       TEXT    NOT NULL,
    missing_since   TEXT,
    has_errors      INTEGER NOT NULL DEFAULT 0 CHECK (has_errors IN (0, 1)),
    error_message   TEXT,
    canonical       INTEGER NOT NULL DEFAULT 1 CHECK (canonical IN (0, 1)),
    -- a person chose this asset's canonical flag; scans keep their hands off it
    canonical_locked INTEGER NOT NULL DEFAULT 0 CHECK (canonical_locked IN (0, 1)),
    created_changeset_id INTEGER REFERENCES changesets(id) ON DELETE SET NULL,
    updated_changeset_id INTEGER REFERENCES changesets(id) ON DELETE SET NULL,
    extra TEXT,
    ident_confidence REAL CHECK (ident_confidence IS NULL OR ident_confidence BETWEEN 0 AND 1),
    probe_error TEXT,
    needs_ffprobe INTEGER NOT NULL DEFAULT 0,
    fingerprint TEXT,
    remote_path TEXT,
    content_key INTEGER,
    CHECK (has_errors = 1 OR error_message IS NULL),
    CHECK (last_seen >= first_seen),
    UNIQUE (collection_id, rel_path)
);
INSERT INTO assets_new SELECT * FROM assets;
DROP TABLE assets;
ALTER TABLE assets_new RENAME TO assets;
CREATE INDEX ix_assets_missing ON assets(missing_since) WHERE missing_since IS NOT NULL;
CREATE INDEX ix_assets_errors ON assets(has_errors) WHERE has_errors = 1;
CREATE INDEX ix_assets_created_changeset ON assets(created_changeset_id);
CREATE INDEX ix_assets_extra ON assets(extra) WHERE extra IS NOT NULL;
CREATE INDEX ix_assets_unidentified ON assets(kind) WHERE ident_confidence IS NULL;
CREATE INDEX ix_assets_probe_failed ON assets(probe_failed) WHERE probe_failed = 1;
CREATE INDEX ix_assets_kind_path ON assets(kind, collection_id, rel_path);
CREATE INDEX ix_assets_hash_pending ON assets(collection_id)
    WHERE sha256 IS NULL AND fingerprint IS NOT NULL;
CREATE INDEX ix_assets_content ON assets(content_key);
CREATE INDEX ix_assets_photos_captured ON assets(kind, coalesce(captured_at, ''), id) WHERE kind = 'image';
CREATE INDEX ix_assets_updated_changeset ON assets(updated_changeset_id)
    WHERE updated_changeset_id IS NOT created_changeset_id;
