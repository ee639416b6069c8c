-- One CSV export as received: every field as text, the records numbered in file
-- order. row_no 1 is the first record after the header line; a repeated header
-- line is a record too, a quoted field spanning several lines stays one record,
-- blank lines are not records. The file read is the UTF-8 copy made by
-- transforms.ingest.prepare (trailer line already removed).
-- Placeholders (literals): path, delimiter, quote; columns: struct of the header's
-- column names, each 'VARCHAR'.
with

source as (
    select *
    from read_csv(
        {{ path }},
        columns = {{ columns }},
        delim = {{ delimiter }},
        quote = {{ quote }},
        escape = {{ quote }},
        header = true,
        auto_detect = false,
        strict_mode = true,
        null_padding = false,
        ignore_errors = false
    )
),

numbered as (
    select
        row_number() over () as row_no,
        *
    from source
)

select * from numbered
