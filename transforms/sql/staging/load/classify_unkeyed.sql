-- For tables without a key (registrations, activities) a record is identified by
-- all its values: the n-th copy of a record in this load is unchanged when staging
-- holds at least n copies, else new. existing_rowid points at the matching copy.
-- Placeholders: table (staging table), columns (comma-separated identifiers),
-- same_values (boolean expression over candidates.* and existing.*).
with

candidates as (
    select
        * exclude (problems),
        row_number() over (partition by {{ columns }} order by row_no) as occurrence
    from _stg
    where problems is null
),

existing as (
    select
        rowid as existing_rowid,
        {{ columns }},
        row_number() over (partition by {{ columns }} order by load_id, row_no) as occurrence
    from {{ table }}
),

final as (
    select
        candidates.*,
        existing.existing_rowid,
        case when existing.existing_rowid is null then 'new' else 'unchanged' end as row_status
    from candidates
    left join existing
        on
            {{ same_values }}
            and candidates.occurrence = existing.occurrence
)

select * from final
