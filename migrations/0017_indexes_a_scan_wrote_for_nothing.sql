-- Indexes a scan wrote for every file, link or marker it added, and that no query read for
-- them. Each is a b-tree insert per row: four of the asset indexes (these two, the
-- kind/path one and the one of files by the scan that created them, which serve every file
-- and stay) were measured at an eighth of a 100,000-file first scan.
--
-- Two asset indexes serve a single query each, which never asks about most files: partial,
-- they cost a new file nothing but the test of their condition.
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
-- the same, so a first scan writes nothing here. Changesets are never deleted (below), so
-- no foreign key action needs this index whole.
DROP INDEX ix_assets_updated_changeset;
CREATE INDEX ix_assets_updated_changeset ON assets(updated_changeset_id)
    WHERE updated_changeset_id IS NOT created_changeset_id;

-- Three marker indexes and the links' changeset indexes were read by no query: markers are
-- listed, counted and replaced by their asset (ix_markers_asset); links are found by asset
-- or by episode or title (their keys and ix_*_assets_asset), and a changeset's links by
-- the history it keeps, not by this column. A video with chapters has a dozen markers:
-- each wrote four index entries, now one.
DROP INDEX ix_markers_kind;
DROP INDEX ix_markers_source;
DROP INDEX ix_markers_changeset;
DROP INDEX ix_episode_assets_changeset;
DROP INDEX ix_title_assets_changeset;

-- Changesets are the catalog's history (undo, the event log and `shelf status` read them)
-- and nothing in shelf deletes one: said here as a rule, so that an index of a column that
-- refers to a changeset is needed only by the queries that read it, never by a foreign
-- key's ON DELETE action (which, without one, would read the whole child table).
CREATE TRIGGER changesets_are_kept BEFORE DELETE ON changesets
BEGIN
    SELECT RAISE(ABORT, 'changesets are the catalog''s history and are never deleted');
END;
