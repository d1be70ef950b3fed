-- The index of review questions by reason served no query: the review list filters by
-- reason only as `(?2 IS NULL OR reason = ?2)`, which no index serves, and no other
-- statement asks by reason alone. It misled one instead. With no statistics, SQLite took it over the
-- asset's index to ask whether a person answered a copy's duplicate question, and every
-- copy's question has the same reason: each new copy read every earlier one's, and a scan of
-- a second copy of a 100,000-file library had read 30,000 files after three minutes, slower
-- with each. Without it the asset's index answers (`content::DECIDED`), and each new
-- question is one b-tree insert fewer.
DROP INDEX ix_review_reason;
