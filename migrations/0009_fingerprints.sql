-- A first scan lists, names and probes every file before it reads any file whole: a large
-- file gets a fingerprint (its size and the SHA-256 of its first and last 64 KiB) at once
-- and its full hash later, in a phase a canceled or killed scan resumes. Until then its
-- sha256 is NULL and its fingerprint says it was read (a failed read has neither).
ALTER TABLE assets ADD COLUMN fingerprint TEXT;
CREATE INDEX ix_assets_hash_pending ON assets(collection_id)
    WHERE sha256 IS NULL AND fingerprint IS NOT NULL;
