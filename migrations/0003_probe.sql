-- shelf catalog, version 3: why a probe failed.
ALTER TABLE assets ADD COLUMN probe_error TEXT;
CREATE INDEX ix_assets_probe_failed ON assets(probe_failed) WHERE probe_failed = 1;
