-- Records of this load by outcome when every record is one row of _stg (all layouts
-- but wide forms, which count_records.sql groups by row_no): quarantined when it has
-- a problem, else unchanged when _matches says so, else staged; so
-- rows_in = rows_staged + rows_unchanged + rows_quarantined.
with

unchanged as (
    select count(distinct matches.row_no) as n_unchanged
    from _matches as matches
    where matches.is_same
),

records as (
    select
        count(*) as n_in,
        count(*) filter (where problems is not null) as n_quarantined
    from _stg
),

final as (
    select
        records.n_in as rows_in,
        unchanged.n_unchanged as rows_unchanged,
        records.n_quarantined as rows_quarantined,
        records.n_in - records.n_quarantined - unchanged.n_unchanged as rows_staged
    from records
    cross join unchanged
)

select * from final
