-- Records of this load by outcome. A record (row_no; a wide form has one row per
-- item) is quarantined when any of its values is, else unchanged when all its rows
-- are, else staged; so rows_in = rows_staged + rows_unchanged + rows_quarantined.
with

unchanged as (
    select
        matches.row_no,
        coalesce(matches.cell_item_no, 0) as cell_item_no
    from _matches as matches
    where matches.is_same
),

cells as (
    select
        stg.row_no,
        stg.problems is not null as is_quarantined,
        coalesce(
            (stg.row_no, coalesce(stg.cell_item_no, 0)) in (
                select
                    unchanged.row_no,
                    unchanged.cell_item_no
                from unchanged
            ),
            false
        ) as is_unchanged
    from _stg as stg
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
