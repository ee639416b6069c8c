-- How many keys occur more than once among the clean records of this load (a cheap
-- test before find_duplicates.sql). Placeholder: key_columns.
with

keys as (
    select {{ key_columns }}
    from _stg
    where problems is null
    group by {{ key_columns }}
    having count(*) > 1
)

select count(*) as n_duplicate_keys from keys
