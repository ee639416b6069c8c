-- Keys that occur more than once among the clean records of this load. Usually
-- empty: then the load has no duplicates and find_duplicates.sql is not run (it finds
-- the record that keeps each key, the lowest row_no, itself). Reads _stg. The
-- grouping carries no aggregate but the count (a min(row_no) beside it cost 0.05 s
-- CPU per million records).
-- Placeholder (double-underscore names): key_columns (comma-separated identifiers).
with

candidates as (
    select __key_columns__
    from _stg
    where problems is null
),

final as (
    select __key_columns__
    from candidates
    group by __key_columns__
    having count(*) > 1
)

select * from final
