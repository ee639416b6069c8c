-- The records of one table as the loader stores them (temporary table
-- _lnd_<table>): the columns of the view _records (landing/lnd_<table>.sql: CPR
-- masked, citizen refs pseudonymised) plus the record's landing form, made in the
-- same pass over the export: fields, its text fields as one JSON array (null for an
-- empty field) in the column order of the view landing.<table>_fields, as
-- landing/insert_landing.sql writes it; and n_cpr, the masked CPR numbers in those
-- fields (one search of the array per record instead of one per field: a CPR number
-- cannot span two fields, which the array separates by '","').
-- Placeholder (double-underscore names): fields (the text columns of _records, in
-- the order of landing.<table>_fields).
with

source as (
    select * from _records
),

with_fields as (
    select
        *,
        to_json([__fields__]) as fields  -- noqa: RF02, RF04
    from source
),

final as (
    select
        *,
        landing.count_cpr(fields) as n_cpr
    from with_fields
)

select * from final  -- noqa: AM04
