-- shelf catalog, version 1: the whole content model of PRODUCT.md "Concepts".
--
-- Conventions
-- * Times are UTC text in one fixed RFC 3339 form, 'YYYY-MM-DDTHH:MM:SS.sssZ', so that
--   text order is time order and comparisons need no parsing.
-- * File paths are BLOBs of the exact bytes the OS gave us (Unix paths are bytes, not text);
--   an asset's path is relative to its collection's root.
-- * Booleans are INTEGER 0/1 with a CHECK.
-- * Every foreign key and every column that is filtered or sorted on has an index.

CREATE TABLE changesets (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL CHECK (kind IN ('scan', 'review', 'edit', 'markers', 'import', 'undo')),
    message         TEXT,
    actor           TEXT    NOT NULL DEFAULT 'shelf',
    status          TEXT    NOT NULL DEFAULT 'in_progress'
                    CHECK (status IN ('in_progress', 'completed', 'partial', 'canceled', 'interrupted', 'error')),
    started_at      TEXT    NOT NULL,
    finished_at     TEXT,
    duration_ms     INTEGER CHECK (duration_ms IS NULL OR duration_ms >= 0),
    pid             INTEGER,
    stats           TEXT    CHECK (stats IS NULL OR json_valid(stats)),
    -- set on a manual changeset when a later 'undo' changeset reverted it
    undone_by       INTEGER REFERENCES changesets(id) ON DELETE SET NULL,
    CHECK (finished_at IS NULL OR finished_at >= started_at)
);
CREATE INDEX ix_changesets_kind_started ON changesets(kind, started_at);
CREATE INDEX ix_changesets_status ON changesets(status);
CREATE INDEX ix_changesets_started ON changesets(started_at);
CREATE INDEX ix_changesets_undone_by ON changesets(undone_by);

CREATE TABLE sources (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL UNIQUE CHECK (length(name) > 0),
    kind            TEXT    NOT NULL CHECK (kind IN ('filesystem', 'plex')),
    config          TEXT    CHECK (config IS NULL OR json_valid(config)),
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);
CREATE INDEX ix_sources_kind ON sources(kind);

CREATE TABLE collections (
    id              INTEGER PRIMARY KEY,
    source_id       INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    -- the source's own key for it: the root path for a folder, a section key for Plex
    external_id     TEXT    NOT NULL,
    name            TEXT    NOT NULL UNIQUE CHECK (length(name) > 0),
    -- absolute root folder on this host (exact bytes); NULL for a remote section
    -- whose files are reached only through path mappings
    root            BLOB,
    kind            TEXT    NOT NULL DEFAULT 'mixed' CHECK (kind IN ('shows', 'movies', 'photos', 'mixed')),
    enabled         INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
    ingestible      INTEGER NOT NULL DEFAULT 1 CHECK (ingestible IN (0, 1)),
    offline_reason  TEXT,
    -- when the last scan that walked this whole collection finished; every asset
    -- not missing was seen then
    last_scan_at    TEXT,
    last_scan_changeset_id INTEGER REFERENCES changesets(id) ON DELETE SET NULL,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    UNIQUE (source_id, external_id)
);
CREATE INDEX ix_collections_source ON collections(source_id);
CREATE INDEX ix_collections_enabled ON collections(enabled);
CREATE INDEX ix_collections_last_scan_changeset ON collections(last_scan_changeset_id);

CREATE TABLE path_mappings (
    id              INTEGER PRIMARY KEY,
    collection_id   INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    -- as another host reports it, '\' already normalised to '/', no trailing '/'
    remote_prefix   TEXT    NOT NULL CHECK (length(remote_prefix) > 0),
    local_prefix    BLOB    NOT NULL CHECK (length(local_prefix) > 0),
    created_at      TEXT    NOT NULL,
    UNIQUE (collection_id, remote_prefix)
);
CREATE INDEX ix_path_mappings_collection ON path_mappings(collection_id);
CREATE INDEX ix_path_mappings_remote ON path_mappings(remote_prefix);

CREATE TABLE assets (
    id              INTEGER PRIMARY KEY,
    collection_id   INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    rel_path        BLOB    NOT NULL CHECK (length(rel_path) > 0),
    size            INTEGER NOT NULL CHECK (size >= 0),
    mtime_ns        INTEGER NOT NULL,
    sha256          TEXT    CHECK (sha256 IS NULL OR (length(sha256) = 64 AND ltrim(sha256, '0123456789abcdef') = '')),
    kind            TEXT    NOT NULL CHECK (kind IN ('video', 'audio', 'image', 'subtitle', 'other')),
    -- probe results (filled by the probe stage)
    container       TEXT,
    duration_ms     INTEGER CHECK (duration_ms IS NULL OR duration_ms >= 0),
    video_codec     TEXT,
    audio_codec     TEXT,
    width           INTEGER CHECK (width IS NULL OR width > 0),
    height          INTEGER CHECK (height IS NULL OR height > 0),
    frame_rate      REAL    CHECK (frame_rate IS NULL OR frame_rate > 0),
    captured_at     TEXT,
    captured_at_source TEXT CHECK (captured_at_source IS NULL OR captured_at_source IN ('exif', 'filename', 'mtime')),
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
    CHECK (has_errors = 1 OR error_message IS NULL),
    CHECK (last_seen >= first_seen),
    UNIQUE (collection_id, rel_path)
);
CREATE INDEX ix_assets_collection ON assets(collection_id);
CREATE INDEX ix_assets_sha256 ON assets(sha256);
CREATE INDEX ix_assets_kind ON assets(kind);
CREATE INDEX ix_assets_missing ON assets(missing_since) WHERE missing_since IS NOT NULL;
CREATE INDEX ix_assets_errors ON assets(has_errors) WHERE has_errors = 1;
CREATE INDEX ix_assets_canonical ON assets(canonical);
CREATE INDEX ix_assets_captured ON assets(captured_at);
CREATE INDEX ix_assets_size ON assets(size);
CREATE INDEX ix_assets_first_seen ON assets(first_seen);
CREATE INDEX ix_assets_created_changeset ON assets(created_changeset_id);
CREATE INDEX ix_assets_updated_changeset ON assets(updated_changeset_id);

CREATE TABLE titles (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL CHECK (kind IN ('show', 'movie')),
    name            TEXT    NOT NULL CHECK (length(name) > 0),
    -- the matching key: case, punctuation, a leading "The" and "&"/"and" folded away
    norm_name       TEXT    NOT NULL,
    sort_name       TEXT    NOT NULL,
    year            INTEGER CHECK (year IS NULL OR year BETWEEN 1870 AND 2200),
    external_ids    TEXT    CHECK (external_ids IS NULL OR json_valid(external_ids)),
    locked          INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    created_changeset_id INTEGER REFERENCES changesets(id) ON DELETE SET NULL
);
CREATE INDEX ix_titles_norm ON titles(norm_name, year);
CREATE INDEX ix_titles_sort ON titles(sort_name);
CREATE INDEX ix_titles_kind ON titles(kind, sort_name);
CREATE INDEX ix_titles_year ON titles(year);
CREATE INDEX ix_titles_created_changeset ON titles(created_changeset_id);

CREATE TABLE seasons (
    id              INTEGER PRIMARY KEY,
    title_id        INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    number          INTEGER NOT NULL CHECK (number >= 0),   -- 0 = specials
    name            TEXT,
    created_at      TEXT    NOT NULL,
    UNIQUE (title_id, number)
);
CREATE INDEX ix_seasons_title ON seasons(title_id);

CREATE TABLE episodes (
    id              INTEGER PRIMARY KEY,
    title_id        INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    season_id       INTEGER REFERENCES seasons(id) ON DELETE CASCADE,
    number          INTEGER CHECK (number IS NULL OR number >= 0),
    absolute_number INTEGER CHECK (absolute_number IS NULL OR absolute_number >= 0),
    name            TEXT,
    air_date        TEXT    CHECK (air_date IS NULL OR air_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    external_ids    TEXT    CHECK (external_ids IS NULL OR json_valid(external_ids)),
    locked          INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    -- an episode is found by its number, or (daily shows) by its air date
    CHECK (number IS NOT NULL OR air_date IS NOT NULL OR absolute_number IS NOT NULL)
);
CREATE UNIQUE INDEX ux_episodes_number ON episodes(season_id, number) WHERE number IS NOT NULL;
CREATE UNIQUE INDEX ux_episodes_air_date ON episodes(title_id, air_date) WHERE number IS NULL AND air_date IS NOT NULL;
CREATE INDEX ix_episodes_title ON episodes(title_id);
CREATE INDEX ix_episodes_season ON episodes(season_id, number);
CREATE INDEX ix_episodes_air_date ON episodes(air_date);
CREATE INDEX ix_episodes_absolute ON episodes(title_id, absolute_number);

-- assets behind an episode (a multi-episode file links to each; versions are several rows)
CREATE TABLE episode_assets (
    episode_id      INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
    asset_id        INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    canonical       INTEGER NOT NULL DEFAULT 0 CHECK (canonical IN (0, 1)),
    source          TEXT    NOT NULL DEFAULT 'scan' CHECK (source IN ('scan', 'manual')),
    confidence      REAL    NOT NULL DEFAULT 1 CHECK (confidence BETWEEN 0 AND 1),
    changeset_id    INTEGER REFERENCES changesets(id) ON DELETE SET NULL,
    PRIMARY KEY (episode_id, asset_id)
);
CREATE INDEX ix_episode_assets_asset ON episode_assets(asset_id);
CREATE INDEX ix_episode_assets_changeset ON episode_assets(changeset_id);

-- a movie's files are linked to the title directly
CREATE TABLE title_assets (
    title_id        INTEGER NOT NULL REFERENCES titles(id) ON DELETE CASCADE,
    asset_id        INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    canonical       INTEGER NOT NULL DEFAULT 0 CHECK (canonical IN (0, 1)),
    part            INTEGER CHECK (part IS NULL OR part >= 1),
    edition         TEXT,
    source          TEXT    NOT NULL DEFAULT 'scan' CHECK (source IN ('scan', 'manual')),
    confidence      REAL    NOT NULL DEFAULT 1 CHECK (confidence BETWEEN 0 AND 1),
    changeset_id    INTEGER REFERENCES changesets(id) ON DELETE SET NULL,
    PRIMARY KEY (title_id, asset_id)
);
CREATE INDEX ix_title_assets_asset ON title_assets(asset_id);
CREATE INDEX ix_title_assets_changeset ON title_assets(changeset_id);

CREATE TABLE provider_refs (
    id              INTEGER PRIMARY KEY,
    entity_type     TEXT    NOT NULL CHECK (entity_type IN ('title', 'episode', 'asset')),
    title_id        INTEGER REFERENCES titles(id) ON DELETE CASCADE,
    episode_id      INTEGER REFERENCES episodes(id) ON DELETE CASCADE,
    asset_id        INTEGER REFERENCES assets(id) ON DELETE CASCADE,
    provider        TEXT    NOT NULL CHECK (length(provider) > 0),   -- tmdb, tvdb, imdb, plex, ...
    provider_key    TEXT    NOT NULL CHECK (length(provider_key) > 0),
    raw             TEXT    CHECK (raw IS NULL OR json_valid(raw)),
    created_at      TEXT    NOT NULL,
    -- exactly one target, and the one entity_type names
    CHECK ((entity_type = 'title'   AND title_id   IS NOT NULL AND episode_id IS NULL AND asset_id IS NULL)
        OR (entity_type = 'episode' AND episode_id IS NOT NULL AND title_id   IS NULL AND asset_id IS NULL)
        OR (entity_type = 'asset'   AND asset_id   IS NOT NULL AND title_id   IS NULL AND episode_id IS NULL)),
    UNIQUE (entity_type, provider, provider_key, title_id, episode_id, asset_id)
);
CREATE INDEX ix_provider_refs_title ON provider_refs(title_id);
CREATE INDEX ix_provider_refs_episode ON provider_refs(episode_id);
CREATE INDEX ix_provider_refs_asset ON provider_refs(asset_id);
CREATE INDEX ix_provider_refs_key ON provider_refs(provider, provider_key);

CREATE TABLE markers (
    id              INTEGER PRIMARY KEY,
    asset_id        INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL CHECK (kind IN ('chapter', 'avail', 'bumper', 'intro', 'outro')),
    start_ms        INTEGER NOT NULL CHECK (start_ms >= 0),
    end_ms          INTEGER NOT NULL,
    label           TEXT,
    source          TEXT    NOT NULL CHECK (source IN ('file', 'manual', 'generated')),
    confidence      REAL    NOT NULL DEFAULT 1 CHECK (confidence BETWEEN 0 AND 1),
    changeset_id    INTEGER REFERENCES changesets(id) ON DELETE SET NULL,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    CHECK (end_ms >= start_ms)
);
CREATE INDEX ix_markers_asset ON markers(asset_id, start_ms);
CREATE INDEX ix_markers_kind ON markers(kind);
CREATE INDEX ix_markers_source ON markers(source);
CREATE INDEX ix_markers_changeset ON markers(changeset_id);

CREATE TABLE review_items (
    id              INTEGER PRIMARY KEY,
    asset_id        INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    reason          TEXT    NOT NULL CHECK (reason IN ('low_confidence', 'conflicting', 'ambiguous_title', 'no_match',
                                                        'possible_extra', 'duplicate_content', 'missing_date',
                                                        'too_short', 'probe_failed')),
    reason_text     TEXT    NOT NULL,
    confidence      REAL    NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    -- the best guess, as JSON (title, year, season, episodes, ...)
    proposal        TEXT    CHECK (proposal IS NULL OR json_valid(proposal)),
    priority        INTEGER NOT NULL DEFAULT 0,
    status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'resolved', 'rejected')),
    -- what the person decided, as JSON; a decided item is locked against scans
    resolution      TEXT    CHECK (resolution IS NULL OR json_valid(resolution)),
    note            TEXT,
    created_at      TEXT    NOT NULL,
    resolved_at     TEXT,
    changeset_id    INTEGER REFERENCES changesets(id) ON DELETE SET NULL,
    resolved_changeset_id INTEGER REFERENCES changesets(id) ON DELETE SET NULL,
    CHECK ((status = 'pending') = (resolved_at IS NULL))
);
CREATE UNIQUE INDEX ux_review_pending ON review_items(asset_id, reason) WHERE status = 'pending';
CREATE INDEX ix_review_asset ON review_items(asset_id);
CREATE INDEX ix_review_status_priority ON review_items(status, priority DESC, confidence);
CREATE INDEX ix_review_reason ON review_items(reason);
CREATE INDEX ix_review_created ON review_items(created_at);
CREATE INDEX ix_review_changeset ON review_items(changeset_id);
CREATE INDEX ix_review_resolved_changeset ON review_items(resolved_changeset_id);

-- every manual edit, field by field, so that a changeset can be undone
CREATE TABLE change_history (
    id              INTEGER PRIMARY KEY,
    changeset_id    INTEGER NOT NULL REFERENCES changesets(id) ON DELETE CASCADE,
    entity          TEXT    NOT NULL CHECK (entity IN ('asset', 'title', 'season', 'episode', 'episode_asset',
                                                        'title_asset', 'marker', 'review_item', 'collection',
                                                        'path_mapping', 'source')),
    entity_id       INTEGER NOT NULL,
    op              TEXT    NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    field           TEXT,
    before          TEXT    CHECK (before IS NULL OR json_valid(before)),
    after           TEXT    CHECK (after IS NULL OR json_valid(after)),
    created_at      TEXT    NOT NULL
);
CREATE INDEX ix_change_history_changeset ON change_history(changeset_id);
CREATE INDEX ix_change_history_entity ON change_history(entity, entity_id);

-- per-file and per-folder problems a scan met that are not (or not only) on an asset
CREATE TABLE changeset_errors (
    id              INTEGER PRIMARY KEY,
    changeset_id    INTEGER NOT NULL REFERENCES changesets(id) ON DELETE CASCADE,
    collection_id   INTEGER REFERENCES collections(id) ON DELETE SET NULL,
    path            BLOB    NOT NULL,
    reason          TEXT    NOT NULL,
    created_at      TEXT    NOT NULL
);
CREATE INDEX ix_changeset_errors_changeset ON changeset_errors(changeset_id);
CREATE INDEX ix_changeset_errors_collection ON changeset_errors(collection_id);

CREATE TABLE service_status (
    service         TEXT    PRIMARY KEY,
    status          TEXT    NOT NULL CHECK (status IN ('OK', 'WARNING', 'ERROR')),
    current_task    TEXT,
    -- sticky: kept until a heartbeat reports OK again
    last_error      TEXT,
    last_error_at   TEXT,
    last_heartbeat  TEXT    NOT NULL,
    interval_secs   INTEGER NOT NULL CHECK (interval_secs > 0),
    pid             INTEGER,
    updated_at      TEXT    NOT NULL
);
CREATE INDEX ix_service_status_heartbeat ON service_status(last_heartbeat);

CREATE TABLE service_status_history (
    id              INTEGER PRIMARY KEY,
    service         TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('OK', 'WARNING', 'ERROR')),
    current_task    TEXT,
    error           TEXT,
    heartbeat_at    TEXT    NOT NULL
);
CREATE INDEX ix_service_history_service_time ON service_status_history(service, heartbeat_at);
CREATE INDEX ix_service_history_time ON service_status_history(heartbeat_at);
