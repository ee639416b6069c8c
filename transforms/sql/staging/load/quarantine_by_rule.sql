-- One load's quarantine of one table, counted by rule and export column, with the
-- first message and the values that failed (sources try: the codes a mapping still
-- lacks): the five most frequent (CPR masked, as stored), and how many there are.
-- Variables (getvariable): load_id, canonical_table.
with

quarantine as (
    select * from staging.quarantine
    where load_id = getvariable('load_id') and canonical_table = getvariable('canonical_table')
),

value_counts as (
    select
        rule,
        column_name,
        value,
        count(distinct row_no) as n_records
    from quarantine
    where value is not null and value <> ''
    group by rule, column_name, value
),

top_values as (
    select
        rule,
        column_name,
        list(value order by n_records desc, value asc)[1:5] as first_values,
        count(*) as n_values
    from value_counts
    group by rule, column_name
),

by_rule as (
    select
        rule,
        column_name,
        count(distinct row_no) as n_records,
        min(message) as first_message
    from quarantine
    group by rule, column_name
),

final as (
    select
        by_rule.rule,
        by_rule.column_name,
        by_rule.n_records,
        by_rule.first_message,
        coalesce(top_values.first_values, []) as first_values,
        coalesce(top_values.n_values, 0) as n_values
    from by_rule
    left join top_values
        on
            by_rule.rule = top_values.rule
            and by_rule.column_name is not distinct from top_values.column_name
)

select * from final
order by n_records desc, rule asc, column_name asc
