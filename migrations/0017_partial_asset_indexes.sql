-- Two of the asset indexes that every file a scan adds wrote an entry to, each one serving
-- a single query that never asks about those files. Partial, they cost a new file nothing
-- but the test of their condition. Measured with two others (the kind/path index and the
-- index of files by the scan that created them, which serve every file and stay): the four
-- were an eighth of a 100,000-file first scan.
--
-- The photo timeline's index holds photos only. The one query it serves, the Assets
-- screen's photos by capture time, asks for kind = 'image' alone. The query names the
-- kind in its text, not as a parameter, so that SQLite knows when preparing it that this
-- index applies; and the index keeps the kind as its first column, so that the planner
-- sees it answers the query's `kind =` as well as its order (without it, it took the
-- kind's other index and sorted every photo).
DROP INDEX ix_assets_kind_captured;
CREATE INDEX ix_assets_photos_captured ON assets(kind, coalesce(captured_at, ''), id) WHERE kind = 'image';

-- The index of files by the last scan that changed them holds files changed after the scan
-- that created them. It serves the event log's "changed" and "missing" (updated by a scan,
-- created by an earlier one: a file a scan marks missing was in the catalog before it);
-- the log's "new" reads ix_assets_created_changeset. A new file's row is written with both
-- the same, so a first scan writes nothing here. Changesets are never deleted, so no
-- foreign key action needs this index whole.
DROP INDEX ix_assets_updated_changeset;
CREATE INDEX ix_assets_updated_changeset ON assets(updated_changeset_id)
    WHERE updated_changeset_id IS NOT created_changeset_id;
