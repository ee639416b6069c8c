-- The records of one CSV export (temporary table _csv_records, read_csv.sql) with
-- their number: row_no 1 is the first record after the header line; a repeated
-- header line is a record too. _csv_records was filled in file order (insertion
-- order preserved) and is never changed, so a row's rowid is its position in the
-- file. Numbering this way, rather than with row_number() while reading, lets
-- DuckDB read the file on every core. (rowid and row_no are reserved: an export
-- column of either name is renamed by transforms.ingest.readers.unique_names.)
with

source as (
    select
        *,
        rowid as record_index
    from _csv_records
),

numbered as (
    select
        * exclude (record_index),
        record_index + 1 as row_no
    from source
)

select * from numbered  -- noqa: AM04
