-- Loads of sources other than this load's and the ones it takes over (sources.yaml
-- takes_over): when there are none, no key can be another source's.
-- Variables (getvariable): source_id, takes_over (a list of source ids).
select count(*) from staging.loads
where
    source_id is distinct from getvariable('source_id')
    and not list_contains(cast(getvariable('takes_over') as varchar[]), source_id)
