-- New and changed records of this load, as rows of the staging table (inserted by
-- name, so the column order does not matter): the clean records of _stg that are
-- not unchanged, with the load id (_stg carries row_no only; the rest of a load's
-- lineage is in staging.loads). Variable (getvariable): load_id.
with

unchanged as (
    select
        matches.row_no,
        coalesce(matches.cell_item_no, 0) as cell_item_no
    from _matches as matches
    where matches.is_same
),

clean as (
    select * from _stg
    where problems is null
),

final as (
    select
        * exclude (cell_item_no, problems),
        getvariable('load_id') as load_id
    from clean
    where
        (row_no, coalesce(cell_item_no, 0)) not in (
            select
                unchanged.row_no,
                unchanged.cell_item_no
            from unchanged
        )
)

select * from final  -- noqa: AM04
