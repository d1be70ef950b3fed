-- shelf catalog, version 6: warnings apart from per-file errors.

-- A warning is nobody's file's fault (ffprobe is not installed, a chapter past the end of its
-- file was skipped): it is worth telling, but it does not make a scan "finished with errors".
-- Until now they were rows of changeset_errors whose reason began with "warning: ".
CREATE TABLE changeset_warnings (
    id              INTEGER PRIMARY KEY,
    changeset_id    INTEGER NOT NULL REFERENCES changesets(id) ON DELETE CASCADE,
    collection_id   INTEGER REFERENCES collections(id) ON DELETE SET NULL,
    -- the file it is about; empty when it is about the whole scan
    path            BLOB    NOT NULL,
    message         TEXT    NOT NULL,
    created_at      TEXT    NOT NULL
);
CREATE INDEX ix_changeset_warnings_changeset ON changeset_warnings(changeset_id, id);
CREATE INDEX ix_changeset_warnings_collection ON changeset_warnings(collection_id);

INSERT INTO changeset_warnings (changeset_id, collection_id, path, message, created_at)
SELECT changeset_id, collection_id, path, substr(reason, 10), created_at
FROM changeset_errors WHERE reason LIKE 'warning: %' ORDER BY id;
DELETE FROM changeset_errors WHERE reason LIKE 'warning: %';
