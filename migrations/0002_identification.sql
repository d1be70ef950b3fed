-- shelf catalog, version 2: what identification remembers about an asset.

-- The kind of extra (trailer, sample, featurette, ...) an asset is; NULL for main content.
ALTER TABLE assets ADD COLUMN extra TEXT;
-- The confidence of the last identification; NULL until a video has been identified.
ALTER TABLE assets ADD COLUMN ident_confidence REAL
    CHECK (ident_confidence IS NULL OR ident_confidence BETWEEN 0 AND 1);
CREATE INDEX ix_assets_extra ON assets(extra) WHERE extra IS NOT NULL;
CREATE INDEX ix_assets_unidentified ON assets(kind) WHERE ident_confidence IS NULL;

-- Anime-style episodes known only by their absolute number.
CREATE UNIQUE INDEX ux_episodes_absolute ON episodes(title_id, absolute_number)
    WHERE season_id IS NULL AND number IS NULL AND air_date IS NULL AND absolute_number IS NOT NULL;
