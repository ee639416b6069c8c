-- Clean records of this load whose key repeats an earlier clean record of the same
-- load: the lowest row_no keeps the key, every later one becomes duplicate_key.
-- Reads _stg (the stg_<table> model of this load) and _dup_keys (duplicate_keys.sql:
-- the repeated keys only, so the ranking touches just their records). Output:
-- row_no, cell_item_no, first_row_no (the record that kept the key), key_text (the
-- first key column, so a repeated wide form is one quarantine row, not one per item).
-- Placeholders (double-underscore names): key_columns (comma-separated
-- identifiers), key_text (an expression).
with

candidates as (
    select
        row_no,
        cell_item_no,
        __key_columns__
    from _stg
    where
        problems is null
        and (__key_columns__) in (select __key_columns__ from _dup_keys)  -- noqa: RF02
),

ranked as (
    select
        *,
        min(row_no) over (partition by __key_columns__) as first_row_no,
        row_number() over (partition by __key_columns__ order by row_no, cell_item_no) as occurrence
    from candidates
),

final as (
    select
        row_no,
        cell_item_no,
        first_row_no,
        __key_text__ as key_text
    from ranked
    where occurrence > 1
)

select * from final
