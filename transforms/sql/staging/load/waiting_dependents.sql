-- Records of other loaded files in the quarantine for a parent that was missing then
-- (unknown_course, unknown_goal, unknown_citizen) whose parent this load staged: they
-- would stage now, but the quarantine keeps records as they were refused, so the file
-- must be loaded again (ingest --reload). One row per file and table: how many records.
-- Variables (getvariable): load_id, rule. Placeholders (double-underscore names):
-- parent (the staging table this load filled), parent_column (its key column).
with

added as (
    select distinct __parent_column__ as parent_key
    from __parent__
    where load_id = getvariable('load_id')
),

waiting as (
    select distinct
        quarantine.file_name,
        quarantine.canonical_table,
        quarantine.load_id,
        quarantine.row_no
    from staging.quarantine as quarantine
    inner join staging.loads as loads
        on quarantine.load_id = loads.load_id
    where
        loads.status = 'loaded'
        and quarantine.load_id != getvariable('load_id')
        and quarantine.rule = getvariable('rule')
        and quarantine.value in (select added.parent_key from added)
),

final as (
    select
        file_name,
        canonical_table,
        count(*) as n_records
    from waiting
    group by file_name, canonical_table
    order by file_name, canonical_table
)

select * from final
