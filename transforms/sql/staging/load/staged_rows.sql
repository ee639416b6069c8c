-- New and changed records of this load, as rows of the staging table (inserted by
-- name, so the column order does not matter): the clean records of _stg that are
-- not unchanged.
with

clean as (
    select * from _stg
    where problems is null
),

final as (
    select * exclude (cell_item_no, problems)
    from clean
    where
        (row_no, coalesce(cell_item_no, 0)) not in (
            select row_no, coalesce(cell_item_no, 0) from _matches
            where is_same
        )
)

select * from final
