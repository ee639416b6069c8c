-- Keys that occur more than once among the clean records of this load, with the
-- record that keeps each (the lowest row_no). Usually empty: then the load has no
-- duplicates and find_duplicates.sql is not run. Reads _stg.
-- Placeholder (double-underscore names): key_columns (comma-separated identifiers).
with

candidates as (
    select
        row_no,
        __key_columns__
    from _stg
    where problems is null
),

final as (
    select
        __key_columns__,
        min(row_no) as first_row_no
    from candidates
    group by __key_columns__
    having count(*) > 1
)

select * from final
