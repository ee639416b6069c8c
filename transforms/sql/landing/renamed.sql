-- The export's records (view _raw: row_no and the export's columns as text) under
-- the canonical column names of one table mapping. A record whose mapped fields all
-- equal their column names is a repeated header line (is_header), not data.
-- Placeholders (double-underscore names): header_test (a boolean expression over
-- the export columns); columns (the select list: export column as canonical
-- column, unmapped canonical columns as null, constants from the mapping, and for
-- a wide layout the map of item answers).
with

source as (
    select * from _raw
),

renamed as (
    select
        row_no,
        __header_test__ as is_header,
        __columns__
    from source
)

select * from renamed
