-- Rows that still belong to earlier versions of a re-exported file (a corrected
-- re-export replaces them): used for staging tables, landing tables and the
-- quarantine alike. Parameter: $old_load_ids. Placeholder: table.
delete from {{ table }}
where list_contains($old_load_ids, load_id)
