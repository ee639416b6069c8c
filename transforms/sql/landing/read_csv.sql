-- One CSV export as received: every field as text, the records in file order (the
-- loader stores them in the temporary table _csv_records with insertion order
-- preserved; csv_numbered.sql numbers them). A quoted field spanning several lines
-- stays one record, blank lines are not records. The file read is the UTF-8 copy
-- made by transforms.ingest.prepare (trailer line already removed).
-- Placeholders (double-underscore names), literals: path, delimiter, quote;
-- columns: a struct of the header's column names, each 'VARCHAR'.
with

source as (
    select *
    from read_csv(
        __path__,
        columns = __columns__,
        delim = __delimiter__,
        quote = __quote__,
        escape = __quote__,
        header = true,
        auto_detect = false,
        strict_mode = true,
        null_padding = false,
        ignore_errors = false
    )
)

select * from source  -- noqa: AM04
