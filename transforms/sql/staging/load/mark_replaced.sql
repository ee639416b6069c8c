-- Earlier versions of a re-exported file are marked replaced by this load.
-- Parameters: $load_id, $old_load_ids.
update staging.loads
set
    status = 'replaced',
    replaced_by = $load_id
where list_contains($old_load_ids, load_id)
