-- The timeline's index holds photos only. ix_assets_kind_captured (kind, capture time, id)
-- took an entry for every file a scan adds, but the one query it serves, the Assets
-- screen's photos by capture time, asks for kind = 'image' alone: in a library of videos,
-- nearly every entry was written and never read. Partial, it costs a video nothing but
-- the test of its kind (measured beside three other asset indexes: the four were an eighth
-- of a 100,000-file first scan). The query names the kind in its text, not as a
-- parameter, so that SQLite knows when preparing it that this index applies; and the
-- index keeps the kind as its first column, so that the planner sees it answers the
-- query's `kind =` as well as its order (without it, it took the kind's other index and
-- sorted every photo).
DROP INDEX ix_assets_kind_captured;
CREATE INDEX ix_assets_photos_captured ON assets(kind, coalesce(captured_at, ''), id) WHERE kind = 'image';
