-- Re-keying: every row of a table that ingest wrote (staging, landing, quarantine and
-- the per-table counts) goes; the loads are replayed with the new key.
-- Placeholder (double-underscore names): table.
delete from __table__
