-- New and changed records of this load, as rows of the staging table (inserted by
-- name, so the column order does not matter).
with

classified as (
    select * from _classified
    where row_status in ('new', 'changed')
),

final as (
    select * exclude (cell_item_no, occurrence, existing_rowid, row_status)
    from classified
)

select * from final
