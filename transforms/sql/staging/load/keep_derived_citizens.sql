-- A corrected re-export (or re-load) of a courses file with derive_citizens: the
-- citizens the earlier version added that this version still has take this load's
-- lineage, so removing the earlier version's rows keeps them.
-- Variables (getvariable): load_id, old_load_ids.
update staging.citizens
set load_id = getvariable('load_id')
where
    list_contains(getvariable('old_load_ids'), load_id)
    and citizen_id in (
        select stg.citizen_id from _stg as stg
        where stg.problems is null
    )
