-- view: chk_point_rates
-- materialize: true
-- grain: one row per metric (completeness, timeliness), group kind (all, intervention,
--   team, staff, month) and group.
-- completeness = collected / due; timeliness = collected on time / collected (see
--   checks/settings.py). Wilson 95 % interval. A group is judged against its target only
--   with at least rate_min_due due points. Quarantined forms whose course is not staged
--   (chk_quarantined_forms) count as due and not collected in the 'all' group's
--   completeness (not in timeliness: they were not collected).
-- columns:
--   metric_id: completeness | timeliness
--   group_kind, group_id: the group ('all' / 'all' for everything)
--   intervention_id, team_id: set when the group lies inside one (for the gate)
--   numerator, denominator, value, ci_low, ci_high, target, is_below_target

with

points as (
    select * from chk_due_points
),

params as (
    select * from chk_params
),

quarantined_forms as (
    select count(*) as n_forms from chk_quarantined_forms
),

grouped as (
    select
        'all' as group_kind,
        'all' as group_id,
        null::varchar as intervention_id,
        null::varchar as team_id,
        count(*) + (select quarantined_forms.n_forms from quarantined_forms) as n_due,
        count(*) filter (where is_collected) as n_collected,
        count(*) filter (where is_on_time) as n_on_time
    from points
    union all
    select
        'intervention',
        intervention_id,
        intervention_id,
        null,
        count(*),
        count(*) filter (where is_collected),
        count(*) filter (where is_on_time)
    from points
    group by intervention_id
    union all
    select
        'team',
        coalesce(team_id, '(none)'),
        case when count(distinct intervention_id) = 1 then any_value(intervention_id) end,
        team_id,
        count(*),
        count(*) filter (where is_collected),
        count(*) filter (where is_on_time)
    from points
    group by team_id
    union all
    select
        'staff',
        coalesce(staff_id, '(none)'),
        null,
        case when count(distinct team_id) = 1 then any_value(team_id) end,
        count(*),
        count(*) filter (where is_collected),
        count(*) filter (where is_on_time)
    from points
    group by staff_id
    union all
    select
        'month',
        due_month,
        null,
        null,
        count(*),
        count(*) filter (where is_collected),
        count(*) filter (where is_on_time)
    from points
    group by due_month
),

metrics as (
    select
        'completeness' as metric_id,
        group_kind,
        group_id,
        intervention_id,
        team_id,
        n_collected as numerator,
        n_due as denominator,
        n_due as n_judged
    from grouped
    union all
    select
        'timeliness',
        group_kind,
        group_id,
        intervention_id,
        team_id,
        n_on_time,
        n_collected,
        n_due
    from grouped
),

final as (
    select
        metrics.metric_id,
        metrics.group_kind,
        metrics.group_id,
        metrics.intervention_id,
        metrics.team_id,
        metrics.numerator::double as numerator,
        metrics.denominator::double as denominator,
        case when metrics.denominator > 0 then metrics.numerator / metrics.denominator end
            as value,
        wilson_low(metrics.numerator, metrics.denominator) as ci_low,
        wilson_high(metrics.numerator, metrics.denominator) as ci_high,
        case metrics.metric_id
            when 'completeness' then params.completeness_target
            else params.timeliness_target
        end as target,
        metrics.n_judged >= params.rate_min_due
        and metrics.denominator > 0
        and metrics.numerator / metrics.denominator < case metrics.metric_id
            when 'completeness' then params.completeness_target
            else params.timeliness_target
        end as is_below_target
    from metrics
    cross join params
)

select * from final
