-- Clean records of this load (_stg) whose key the staging table already holds: the
-- row they meet (existing_rowid) and whether its values are the same (is_same:
-- unchanged) or not (changed: the later load wins). Records not listed are new.
-- Both sides are narrowed to the shared keys first, so a load of new keys costs one
-- hash look-up per record.
-- Placeholders: table (staging table), key_columns (comma-separated), key_match and
-- same_values (boolean expressions over candidates.* and existing.*).
with

candidates as (
    select * from _stg
    where
        problems is null
        and ({{ key_columns }}) in (select {{ key_columns }} from {{ table }})
),

existing as (
    select
        rowid as existing_rowid,
        *
    from {{ table }}
    where ({{ key_columns }}) in (select {{ key_columns }} from candidates)
),

final as (
    select
        candidates.row_no,
        candidates.cell_item_no,
        existing.existing_rowid,
        {{ same_values }} as is_same
    from candidates
    inner join existing
        on {{ key_match }}
)

select * from final
