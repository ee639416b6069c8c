-- Clean records of this load as rows of the staging table (inserted by name, so the
-- column order does not matter): new, changed and unchanged ones alike (the rows they
-- meet were deleted: staging/load/delete_matched.sql), with the load id (_stg carries
-- row_no only; the rest of a load's lineage is in staging.loads). Whether a record
-- was unchanged is counted from _matches. Variable (getvariable): load_id.
with

clean as (
    select * from _stg
    where problems is null
),

final as (
    select
        * exclude (cell_item_no, problems),
        getvariable('load_id') as load_id
    from clean
)

select * from final  -- noqa: AM04
