-- The rows find_orphans.sql found (temporary table _orphans), one quarantine row per
-- record, under the load and record number they were staged from.
-- Variables (getvariable): rule, column_name, canonical_table, parent_table,
-- file_name (the re-exported file), load_id (its load), quarantined_at.
with

records as (
    select distinct
        load_id,
        row_no,
        value
    from _orphans
),

loads as (
    select * from staging.loads
),

final as (
    select  -- noqa: ST06
        records.row_no,
        records.value,
        records.load_id,
        loads.source_id,
        loads.file_name,
        cast(null as varchar) as sheet,
        cast(null as integer) as item_no,
        getvariable('rule') as rule,  -- noqa: RF04
        cast(getvariable('quarantined_at') as timestamp) as quarantined_at,
        getvariable('canonical_table') as canonical_table,
        getvariable('column_name') as column_name,
        'the ' || getvariable('parent_table') || ' row it refers to was removed by the '
        || 'corrected re-export ' || getvariable('file_name') || ' (load '
        || getvariable('load_id') || ')' as message
    from records
    inner join loads on records.load_id = loads.load_id
)

select * from final
