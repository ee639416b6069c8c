-- For tables without a key (registrations, activities) a record is identified by
-- all its values: the n-th copy of a record in this load is unchanged when the
-- staging table holds at least n copies (existing_rowid: the matching copy), else
-- new. There is no "changed" here.
-- Placeholders: table (staging table), columns (comma-separated identifiers),
-- same_values (boolean expression over candidates.* and existing.*).
with

candidates as (
    select
        row_no,
        cell_item_no,
        {{ columns }},
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
        candidates.row_no,
        candidates.cell_item_no,
        existing.existing_rowid,
        true as is_same
    from candidates
    inner join existing
        on
            {{ same_values }}
            and candidates.occurrence = existing.occurrence
)

select * from final
