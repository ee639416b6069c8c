-- One load's quarantine of one table, counted by rule and export column, with the
-- first message (sources try). Variables (getvariable): load_id, canonical_table.
with

quarantine as (
    select * from staging.quarantine
    where load_id = getvariable('load_id') and canonical_table = getvariable('canonical_table')
),

final as (
    select
        rule,
        column_name,
        count(distinct row_no) as n_records,
        min(message) as first_message
    from quarantine
    group by rule, column_name
)

select * from final
order by n_records desc, rule asc, column_name asc
