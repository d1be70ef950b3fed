-- Plex and Jellyfin servers as sources (PRODUCT.md "Source"). Run with foreign keys off
-- (see catalog::migrate), so that rebuilding `sources` and `markers` to widen their CHECKs
-- does not cascade into their children.

-- A source's kind gains 'jellyfin'; a server source keeps its URL in `config` and its token
-- in `token` (a secret: never printed, logged or exported).
CREATE TABLE sources_new (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL UNIQUE CHECK (length(name) > 0),
    kind            TEXT    NOT NULL CHECK (kind IN ('filesystem', 'plex', 'jellyfin')),
    config          TEXT    CHECK (config IS NULL OR json_valid(config)),
    token           TEXT,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);
INSERT INTO sources_new (id, name, kind, config, created_at, updated_at)
    SELECT id, name, kind, config, created_at, updated_at FROM sources;
DROP TABLE sources;
ALTER TABLE sources_new RENAME TO sources;
CREATE INDEX ix_sources_kind ON sources(kind);

-- A server's section: the folders the server reports for it (a JSON array of its paths),
-- and when a refresh no longer found it (kept, never deleted).
ALTER TABLE collections ADD COLUMN remote_roots TEXT CHECK (remote_roots IS NULL OR json_valid(remote_roots));
ALTER TABLE collections ADD COLUMN gone_at TEXT;

-- The path of a server collection's file as the server reports it.
ALTER TABLE assets ADD COLUMN remote_path TEXT;

-- Markers a server reports (intro/credits, chapters, commercial segments).
CREATE TABLE markers_new (
    id              INTEGER PRIMARY KEY,
    asset_id        INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL CHECK (kind IN ('chapter', 'avail', 'bumper', 'intro', 'outro')),
    start_ms        INTEGER NOT NULL CHECK (start_ms >= 0),
    end_ms          INTEGER NOT NULL,
    label           TEXT,
    source          TEXT    NOT NULL CHECK (source IN ('file', 'manual', 'generated', 'plex', 'jellyfin')),
    confidence      REAL    NOT NULL DEFAULT 1 CHECK (confidence BETWEEN 0 AND 1),
    changeset_id    INTEGER REFERENCES changesets(id) ON DELETE SET NULL,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    CHECK (end_ms >= start_ms)
);
INSERT INTO markers_new SELECT * FROM markers;
DROP TABLE markers;
ALTER TABLE markers_new RENAME TO markers;
CREATE INDEX ix_markers_asset ON markers(asset_id, start_ms);
CREATE INDEX ix_markers_kind ON markers(kind);
CREATE INDEX ix_markers_source ON markers(source);
CREATE INDEX ix_markers_changeset ON markers(changeset_id);

-- What a server said of each item at the last scan: its change marker (Plex updatedAt with
-- its parts; Jellyfin Etag), so an unchanged item costs nothing but its listing.
CREATE TABLE server_items (
    collection_id   INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    item_key        TEXT    NOT NULL,
    change_marker   TEXT    NOT NULL,
    seen_at         TEXT    NOT NULL,
    PRIMARY KEY (collection_id, item_key)
) WITHOUT ROWID;
