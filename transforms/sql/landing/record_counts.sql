-- What the loader needs to know of the records it stored (the temporary table
-- _lnd_<table>, landing/records.sql) before it numbers and types them: how many
-- (repeated header lines included), how many are repeated header lines, the rowid
-- of the first (a CSV export's records are numbered by position from it, see
-- landing/load_rows.sql) and the masked CPR numbers in the data records' fields.
-- Placeholder (double-underscore names): records (the table _lnd_<table>).
with

source as (
    select
        rowid as record_rowid,
        is_header,
        n_cpr
    from __records__
),

final as (
    select
        count(*) as n_records,
        count(*) filter (where is_header) as n_header_lines,
        coalesce(min(record_rowid), 0) as first_rowid,
        coalesce(sum(n_cpr) filter (where not is_header), 0) as n_cpr
    from source
)

select * from final
