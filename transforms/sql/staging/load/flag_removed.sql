-- ingest.reexport: keep_and_flag. The records of the earlier versions of a
-- re-exported file that the re-export no longer has stay staged; each gets a
-- warning row in staging.quarantine (rule removed_in_reexport) under its own load
-- and record number. Variables (getvariable): old_load_ids, load_id,
-- quarantined_at, canonical_table. Placeholder (double-underscore names): table.
with

left_behind as (
    select distinct
        load_id,
        row_no
    from __table__
    where list_contains(getvariable('old_load_ids'), load_id)
),

loads as (
    select * from staging.loads
),

final as (
    select
        left_behind.row_no,
        left_behind.load_id,
        loads.source_id,
        loads.file_name,
        cast(null as varchar) as sheet,
        cast(null as integer) as item_no,
        cast(null as varchar) as value,  -- noqa: RF04
        'removed_in_reexport' as rule,  -- noqa: RF04
        cast(getvariable('quarantined_at') as timestamp) as quarantined_at,
        cast(null as varchar) as column_name,
        getvariable('canonical_table') as canonical_table,
        'not in the corrected re-export (load ' || getvariable('load_id')
        || '); kept staged because ingest.reexport is keep_and_flag (a warning)' as message
    from left_behind
    inner join loads on left_behind.load_id = loads.load_id
)

select * from final
