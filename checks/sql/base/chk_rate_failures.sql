-- view: chk_rate_failures
-- grain: one row per group of chk_point_rates below its target, shaped as a failure row
--   of the rate rules (completeness_below_target, timeliness_below_target), which pick
--   their metric and add rule_id and severity.
-- columns: metric_id (completeness | timeliness), then the failure columns table_name,
--   intervention_id, team_id, staff_id (staff groups only), observed (the rate), reason

with

rates as (
    select * from chk_point_rates
),

final as (
    select
        metric_id,
        'int_point_status' as table_name,
        intervention_id,
        team_id,
        value as observed,
        case when group_kind = 'staff' then group_id end as staff_id,
        case when group_kind = 'all' then 'all' else group_kind || ' ' || group_id end
        || ': ' || numerator::bigint || ' of ' || denominator::bigint
        || case
            when metric_id = 'completeness' then ' due measurements collected ('
            else ' collected measurements on time ('
        end
        || round(100 * value)::integer || ' %, target ' || round(100 * target)::integer
        || ' %)' as reason
    from rates
    where is_below_target
)

select * from final
