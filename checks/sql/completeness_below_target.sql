-- rule: completeness_below_target
-- table: int_point_status
-- checked: chk_completeness_rates
-- figures: mart_progression_by_point, mart_group_comparison, mart_reliable_change_by_quarter
-- description: The share of due measurements collected is below completeness_target for
--   an intervention, team, staff member or month (groups with fewer than rate_min_due due
--   points are not judged). The figures then rest on part of the citizens only.
-- fix: Look at the missing_measurement rows of the group and the due list; agree in the
--   team who collects which measurement.

with

rates as (
    select * from chk_completeness_rates
),

final as (
    select
        'completeness_below_target' as rule_id,
        chk_severity('completeness_below_target') as severity,
        'int_point_status' as table_name,
        intervention_id,
        team_id,
        case when group_kind = 'staff' then group_id end as staff_id,
        value as observed,
        case when group_kind = 'all' then 'all' else group_kind || ' ' || group_id end
        || ': ' || numerator::bigint || ' of '
        || denominator::bigint || ' due measurements collected ('
        || round(100 * value)::integer || ' %, target ' || round(100 * target)::integer
        || ' %)' as reason
    from rates
    where is_below_target
)

select * from final
