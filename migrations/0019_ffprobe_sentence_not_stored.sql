-- A file waiting for ffprobe is told by its flag (needs_ffprobe, migration 0007) alone; the
-- sentence a person reads of it is shelf's to say where it is read (`catalog::probe_error_sql`),
-- not a copy in every such row. Scanned without ffprobe, that is every video a library has,
-- and the 65-byte sentence was an eighth of a first scan's catalog (100,000 files: 62.8 MB
-- against 55.3 MB without it) and of every byte its writer wrote. A probe error of any other
-- kind stays in the row; a person reads the same sentence as before.
UPDATE assets SET probe_error = NULL
 WHERE needs_ffprobe = 1
   AND probe_error = 'not read yet: its container needs ffprobe, which is not installed';
