-- Fewer indexes on episodes, each one a write for every episode a scan creates (measured:
-- an episode's insert was a sixth of a first scan's writing). None of these answers a
-- query another index does not:
-- - ix_episodes_title (title_id) is the head of ix_episodes_absolute (title_id, absolute_number);
-- - ix_seasons_title (title_id) is the head of seasons' UNIQUE (title_id, number);
-- - ix_episodes_air_date: no query looks an air date up without its title, which
--   ux_episodes_air_date (title_id, air_date) answers;
-- - ix_episodes_season (season_id, number) repeated ux_episodes_number, which was partial
--   (number IS NOT NULL). A unique index lets NULLs repeat, so made whole it keeps the
--   same rule and also serves what needs every episode of a season (the listing, the
--   foreign key's cascade).
DROP INDEX ix_episodes_title;
DROP INDEX ix_seasons_title;
DROP INDEX ix_episodes_air_date;
DROP INDEX ix_episodes_season;
DROP INDEX ux_episodes_number;
CREATE UNIQUE INDEX ux_episodes_number ON episodes(season_id, number);
