-- The clean records of this load (_stg) compared by key with what the staging table
-- holds: new (key not there), unchanged (same values), changed (other values; the
-- later load wins). existing_rowid points at the staging row with the same key.
-- Placeholders: table (staging table), key_match, same_values (boolean expressions
-- over candidates.* and existing.*).
with

candidates as (
    select * exclude (problems)
    from _stg
    where problems is null
),

existing as (
    select
        rowid as existing_rowid,
        *
    from {{ table }}
),

final as (
    select
        candidates.*,
        cast(null as bigint) as occurrence,
        existing.existing_rowid,
        case
            when existing.existing_rowid is null then 'new'
            when {{ same_values }} then 'unchanged'
            else 'changed'
        end as row_status
    from candidates
    left join existing
        on {{ key_match }}
)

select * from final
