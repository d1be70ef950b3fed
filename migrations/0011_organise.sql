-- `shelf organise` (PRODUCT.md "Organise"): each batch and each file of it, journaled before
-- every step it takes on disk, so a killed batch is finished (`organise resume`) or put back
-- (`organise undo`) from what the journal says, never from guesses on names.
CREATE TABLE organise_batches (
    id              INTEGER PRIMARY KEY,
    dest            BLOB    NOT NULL,
    template        TEXT    NOT NULL,
    mode            TEXT    NOT NULL CHECK (mode IN ('copy', 'move')),
    status          TEXT    NOT NULL DEFAULT 'applying'
                    CHECK (status IN ('applying', 'done', 'partial', 'undone')),
    started_at      TEXT    NOT NULL,
    finished_at     TEXT,
    pid             INTEGER
);
CREATE INDEX ix_organise_batches_status ON organise_batches(status);

-- One file of a batch. `state` is where it is: planned (nothing done), copying (a temp file
-- `tmp` may exist beside `dest`; or, for a link on one disk, `dest` may), placed (`dest`
-- holds the verified bytes), done (and, moving, the source released), failed, undone.
CREATE TABLE organise_items (
    id              INTEGER PRIMARY KEY,
    batch_id        INTEGER NOT NULL REFERENCES organise_batches(id) ON DELETE CASCADE,
    src             BLOB    NOT NULL,
    dest            BLOB,
    tmp             BLOB,
    size            INTEGER NOT NULL CHECK (size >= 0),
    mtime_ns        INTEGER NOT NULL,
    sha256          TEXT    CHECK (sha256 IS NULL OR length(sha256) = 64),
    action          TEXT    NOT NULL CHECK (action IN ('place', 'duplicate', 'skip')),
    state           TEXT    NOT NULL DEFAULT 'planned'
                    CHECK (state IN ('planned', 'copying', 'placed', 'done', 'failed', 'undone')),
    captured_at     TEXT,
    date_source     TEXT,
    reason          TEXT,
    -- a sidecar or the other half of a pair travels with this item
    primary_id      INTEGER REFERENCES organise_items(id) ON DELETE SET NULL,
    ingested_at     TEXT
);
CREATE INDEX ix_organise_items_batch ON organise_items(batch_id, state);
CREATE INDEX ix_organise_items_primary ON organise_items(primary_id);
-- an organised file's original name and path, from where it landed
CREATE INDEX ix_organise_items_dest ON organise_items(dest) WHERE state = 'done';
