-- Staged rows whose reference a re-export removed (a course's measurements when the
-- course is gone ...): the reference is in no row of the parent table any more.
-- Placeholders (double-underscore names): child (staging table), child_column,
-- parent (staging table), parent_column.
with

parents as (
    select __parent_column__ as parent_key from __parent__  -- noqa: RF02
),

final as (
    select
        child.rowid as orphan_rowid,
        child.load_id,
        child.row_no,
        child.__child_column__ as value  -- noqa: RF02, RF04
    from __child__ as child
    where child.__child_column__ not in (select parents.parent_key from parents)  -- noqa: RF02
)

select * from final
