-- A title's normalised name now folds accents (`Amélie` and `Amelie` are one title, as a
-- scene name drops them). SQLite cannot fold them itself: shelf recomputes `norm_name` of
-- every title in Rust right after this step, in the same transaction (catalog::migrate).
SELECT 1;
