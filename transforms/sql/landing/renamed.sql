-- The export's records (view _raw: row_no and the export's columns as text) under
-- the canonical column names of one table mapping. A record whose mapped fields all
-- equal their column names is a repeated header line (is_header), not data.
-- Placeholders: header_test (boolean expression over export columns); columns
-- (select list: export column as canonical column, unmapped canonical columns as
-- null, constants from the mapping, and for wide layouts the item map).
with

source as (
    select * from _raw
),

renamed as (
    select
        row_no,
        {{ header_test }} as is_header,
        {{ columns }}
    from source
)

select * from renamed
