-- For tables without a key (registrations, activities) a record is identified by
-- all its values: the n-th copy of a record in this load is unchanged when the
-- staging table holds at least n copies (existing_rowid: the matching copy), else
-- new. There is no "changed" here.
-- Placeholders (double-underscore names): table (the staging table), columns
-- (comma-separated identifiers), same_values (a boolean expression over
-- candidates.* and existing.*).
with

candidates as (
    select
        row_no,
        cell_item_no,
        __columns__,
        row_number() over (partition by __columns__ order by row_no) as occurrence
    from _stg
    where problems is null
),

existing as (
    select
        __columns__,
        rowid as existing_rowid,
        row_number() over (partition by __columns__ order by load_id, row_no) as occurrence
    from __table__
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
            __same_values__  -- noqa: RF02
            and candidates.occurrence = existing.occurrence
)

select * from final
