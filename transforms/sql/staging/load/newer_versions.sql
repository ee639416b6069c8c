-- On a re-load (ingest --reload) of an earlier export: the staged rows that a record of
-- it meets with other values, where the row came from a later export of the same
-- source (another file, first loaded after this file was first loaded). The later
-- export's version stays: a re-load after a mapping fix must not undo the corrections
-- of the exports that came after the file. One row per met staged row, with the record
-- (row_no, cell_item_no) and the later file's name. Reads _matches (match_keyed.sql).
-- Variables (getvariable): file_name, source_id.
with

first_loaded as (
    select min(started_at) as started_at
    from staging.loads
    where
        file_name = getvariable('file_name')
        and source_id is not distinct from getvariable('source_id')
),

later_loads as (
    select
        load_id,
        file_name
    from staging.loads
    where
        status = 'loaded'
        and file_name != getvariable('file_name')
        and source_id is not distinct from getvariable('source_id')
        and started_at > (select first_loaded.started_at from first_loaded)
),

final as (
    select
        matches.row_no,
        matches.cell_item_no,
        matches.existing_rowid,
        later_loads.file_name
    from _matches as matches
    inner join later_loads on matches.existing_load_id = later_loads.load_id
    where not matches.is_same
)

select * from final
