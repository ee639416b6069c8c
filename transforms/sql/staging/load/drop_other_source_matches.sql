-- The matches of the records mark_other_source.sql quarantined: they replace
-- nothing (delete_matched.sql) and are not counted unchanged.
-- Variables (getvariable): source_id (this load's source), takes_over.
delete from _matches
where existing_load_id in (
    select load_id from staging.loads
    where
        source_id is distinct from getvariable('source_id')
        and not list_contains(cast(getvariable('takes_over') as varchar[]), source_id)
)
