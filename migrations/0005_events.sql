-- shelf catalog, version 5: what a scan saw, for the Status event log; photos by date.

-- Where a moved asset was before, per scan. New, changed and missing files are known from
-- assets' own changeset columns and problems from changeset_errors; a move is the one event
-- whose "before" would otherwise be lost.
CREATE TABLE asset_moves (
    id                  INTEGER PRIMARY KEY,
    changeset_id        INTEGER NOT NULL REFERENCES changesets(id) ON DELETE CASCADE,
    asset_id            INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    from_collection_id  INTEGER REFERENCES collections(id) ON DELETE SET NULL,
    from_rel_path       BLOB    NOT NULL,
    moved_at            TEXT    NOT NULL
);
CREATE INDEX ix_asset_moves_changeset ON asset_moves(changeset_id, id);
CREATE INDEX ix_asset_moves_asset ON asset_moves(asset_id);
CREATE INDEX ix_asset_moves_collection ON asset_moves(from_collection_id);

-- The Assets pane's photos in capture-date order, paged by key.
CREATE INDEX ix_assets_kind_captured ON assets(kind, coalesce(captured_at, ''), id);
