-- Clean records of this load (_stg) whose key the staging table already holds: the
-- row they meet (existing_rowid) and whether its values are the same (is_same:
-- unchanged) or not (changed: the later load wins). Records not listed are new.
-- Both sides are narrowed to the shared keys first, so a load of new keys costs one
-- hash look-up per record.
-- Placeholders (double-underscore names): table (the staging table), key_columns
-- (comma-separated), key_match and same_values (boolean expressions over
-- candidates.* and existing.*).
with

candidates as (
    select * from _stg
    where
        problems is null
        and (__key_columns__) in (select __key_columns__ from __table__)  -- noqa: RF02
),

existing as (
    select
        *,
        rowid as existing_rowid
    from __table__
    where (__key_columns__) in (select __key_columns__ from candidates)  -- noqa: RF02
),

final as (
    select
        candidates.row_no,
        candidates.cell_item_no,
        existing.existing_rowid,
        __same_values__ as is_same  -- noqa: RF02
    from candidates
    inner join existing
        on __key_match__  -- noqa: RF02
)

select * from final
