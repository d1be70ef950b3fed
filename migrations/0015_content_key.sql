-- A content hash's lookup key: its first 15 hex digits (60 bits) as an integer, indexed in
-- place of the 64-character hash itself. Every new file's hash is a random key into that
-- index; as text it was 1M × ~80 bytes (≈20,000 pages), more than the writer's page cache,
-- so a first scan of a million files missed the cache on most inserts and rewrote most of
-- the index at every commit (measured: the index cost 9 s of a 31 s million-file scan).
-- As an integer it is a fifth of that size and compares without collation. Lookups ask
-- `content_key = ?key AND sha256 = ?hash`: the key finds the few candidates, the hash
-- decides. The key is written by the code that writes the hash (shelf's
-- `catalog::content::key`); `shelf db check` reports a row whose key and hash disagree.
ALTER TABLE assets ADD COLUMN content_key INTEGER;
UPDATE assets SET content_key =
    (instr('0123456789abcdef', substr(sha256, 1, 1)) - 1) * 72057594037927936 +
    (instr('0123456789abcdef', substr(sha256, 2, 1)) - 1) * 4503599627370496 +
    (instr('0123456789abcdef', substr(sha256, 3, 1)) - 1) * 281474976710656 +
    (instr('0123456789abcdef', substr(sha256, 4, 1)) - 1) * 17592186044416 +
    (instr('0123456789abcdef', substr(sha256, 5, 1)) - 1) * 1099511627776 +
    (instr('0123456789abcdef', substr(sha256, 6, 1)) - 1) * 68719476736 +
    (instr('0123456789abcdef', substr(sha256, 7, 1)) - 1) * 4294967296 +
    (instr('0123456789abcdef', substr(sha256, 8, 1)) - 1) * 268435456 +
    (instr('0123456789abcdef', substr(sha256, 9, 1)) - 1) * 16777216 +
    (instr('0123456789abcdef', substr(sha256, 10, 1)) - 1) * 1048576 +
    (instr('0123456789abcdef', substr(sha256, 11, 1)) - 1) * 65536 +
    (instr('0123456789abcdef', substr(sha256, 12, 1)) - 1) * 4096 +
    (instr('0123456789abcdef', substr(sha256, 13, 1)) - 1) * 256 +
    (instr('0123456789abcdef', substr(sha256, 14, 1)) - 1) * 16 +
    (instr('0123456789abcdef', substr(sha256, 15, 1)) - 1)
WHERE sha256 IS NOT NULL;
DROP INDEX ix_assets_sha256;
CREATE INDEX ix_assets_content ON assets(content_key);
