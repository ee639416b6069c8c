-- One CSV export as received: every field as text. A quoted field spanning several
-- lines stays one record, blank lines are not records. The file read is the UTF-8
-- copy made by transforms.ingest.prepare (trailer line already removed). row_no is
-- empty here: the loader stores the records in file order (temporary table
-- _lnd_<table>) and numbers them there (landing/load_rows.sql), which lets DuckDB
-- read the file on every core.
-- Placeholders (double-underscore names), literals: path, delimiter, quote;
-- columns: a struct of the header's column names, each 'VARCHAR'; max_line_size: the
-- longest record read, in bytes (a longer one fails the read, and the loader cuts it
-- short and quarantines it: transforms.ingest.prepare.cut_oversized).
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
        ignore_errors = false,
        max_line_size = __max_line_size__
    )
),

unnumbered as (
    select
        *,
        cast(null as bigint) as row_no
    from source
)

select * from unnumbered  -- noqa: AM04
