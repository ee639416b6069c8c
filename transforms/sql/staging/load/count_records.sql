-- Records of this load by outcome. A record (row_no; a wide form has one row per
-- item) is quarantined when any of its values is, else unchanged when all its rows
-- are, else staged; so rows_in = rows_staged + rows_unchanged + rows_quarantined.
with

cells as (
    select
        row_no,
        problems is not null as is_quarantined,
        coalesce(
            (row_no, coalesce(cell_item_no, 0)) in (
                select row_no, coalesce(cell_item_no, 0) from _matches
                where is_same
            ),
            false
        ) as is_unchanged
    from _stg
),

records as (
    select
        row_no,
        bool_or(is_quarantined) as is_quarantined,
        bool_and(is_unchanged) as is_unchanged
    from cells
    group by row_no
),

final as (
    select
        count(*) as rows_in,
        count(*) filter (where not is_quarantined and not is_unchanged) as rows_staged,
        count(*) filter (where not is_quarantined and is_unchanged) as rows_unchanged,
        count(*) filter (where is_quarantined) as rows_quarantined
    from records
)

select * from final
