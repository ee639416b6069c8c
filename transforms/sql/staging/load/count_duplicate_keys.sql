-- How many keys occur more than once among the clean records of this load (a cheap
-- test before find_duplicates.sql). Placeholder (double-underscore names): key_columns.
with

keys as (
    select __key_columns__
    from _stg
    where problems is null
    group by __key_columns__
    having count(*) > 1
)

select count(*) as n_duplicate_keys from keys
