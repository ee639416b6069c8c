-- rule: timeliness_below_target
-- table: int_point_status
-- checked: chk_timeliness_rates
-- figures: mart_progression_by_point
-- description: The share of collected measurements taken inside the tolerance window is
--   below timeliness_target for an intervention, team, staff member or month. Late
--   measurements sit further from the planned point, so changes over points blur.
-- fix: Use the due list in the team's meetings; plan measurements in the calendar when a
--   course starts.

with

rates as (
    select * from chk_timeliness_rates
),

final as (
    select
        'timeliness_below_target' as rule_id,
        chk_severity('timeliness_below_target') as severity,
        'int_point_status' as table_name,
        intervention_id,
        team_id,
        case when group_kind = 'staff' then group_id end as staff_id,
        value as observed,
        case when group_kind = 'all' then 'all' else group_kind || ' ' || group_id end
        || ': ' || numerator::bigint || ' of '
        || denominator::bigint || ' collected measurements on time ('
        || round(100 * value)::integer || ' %, target ' || round(100 * target)::integer
        || ' %)' as reason
    from rates
    where is_below_target
)

select * from final
