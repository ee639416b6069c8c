-- The loads in force (one per file and target table): file, checksum, when, counts.
-- The lineage page links every staging table to the files that fed it.

with

loads as (
    select * from staging.loads
    where status = 'loaded'
),

load_tables as (
    select * from staging.load_tables
),

final as (
    select
        load_tables.canonical_table,
        loads.load_id,
        loads.file_name,
        load_tables.sheet,
        loads.sha256,
        loads.finished_at as loaded_at,
        load_tables.rows_in,
        load_tables.rows_staged,
        load_tables.rows_unchanged,
        load_tables.rows_quarantined
    from loads
    inner join load_tables on loads.load_id = load_tables.load_id
    order by load_tables.canonical_table, loads.file_name, load_tables.sheet
)

select * from final
