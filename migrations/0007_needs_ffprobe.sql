-- A file in a container only ffprobe reads, scanned without ffprobe, is marked by a flag of
-- its own; its probe_error keeps the sentence a person reads. Before, that sentence was the
-- flag, and changing its wording would have made every such file look probed.
ALTER TABLE assets ADD COLUMN needs_ffprobe INTEGER NOT NULL DEFAULT 0;
UPDATE assets SET needs_ffprobe = 1
 WHERE probed_at IS NULL
   AND probe_error = 'not read yet: its container needs ffprobe, which is not installed';
