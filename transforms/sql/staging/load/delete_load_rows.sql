-- Rows that still belong to earlier versions of a re-exported file (a corrected
-- re-export replaces them): used for staging tables, landing tables and the
-- quarantine alike. Variable (getvariable): old_load_ids.
-- Placeholder (double-underscore names): table.
delete from __table__
where list_contains(getvariable('old_load_ids'), load_id)
