-- Every asset written updates every index of the table: a first scan paid for seventeen.
-- These six serve no query: the first two are prefixes of other indexes (the unique
-- (collection_id, rel_path), and (kind, collection_id, rel_path)); no query filters or
-- sorts on size, first_seen or canonical alone; photos are paged by
-- (kind, coalesce(captured_at, ''), id), which has an index of its own.
DROP INDEX IF EXISTS ix_assets_collection;
DROP INDEX IF EXISTS ix_assets_kind;
DROP INDEX IF EXISTS ix_assets_size;
DROP INDEX IF EXISTS ix_assets_first_seen;
DROP INDEX IF EXISTS ix_assets_canonical;
DROP INDEX IF EXISTS ix_assets_captured;
