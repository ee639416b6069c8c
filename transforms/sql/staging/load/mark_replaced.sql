-- Earlier versions of a re-exported file are marked replaced by this load.
-- Variables (getvariable): load_id, old_load_ids.
update staging.loads
set
    status = 'replaced',
    replaced_by = getvariable('load_id')
where list_contains(getvariable('old_load_ids'), load_id)
