-- This load's landing rows of one table (the temporary view _landing_<table>): the
-- records stored in the temporary table _lnd_<table> (landing/lnd_<table>.sql) with
-- their record number and the load id, repeated header lines left out. Typing
-- (staging/stg_<table>.sql) and the write to landing.<table> both read this view.
-- Placeholders (double-underscore names): records (the table _lnd_<table>); row_no
-- (the record number: the column row_no for a sheet or Parquet file; for a CSV
-- export, whose records were stored in file order, rowid + 1, see
-- transforms.ingest.readers); load_id (a literal).
with

source as (
    select
        *,
        __row_no__ as record_no
    from __records__
),

final as (
    select
        * exclude (row_no, is_header, record_no),
        record_no as row_no,
        __load_id__ as load_id
    from source
    where not is_header
)

select * from final  -- noqa: AM04
