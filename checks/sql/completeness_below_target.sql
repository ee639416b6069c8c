-- rule: completeness_below_target
-- table: int_point_status
-- checked: chk_completeness_rates
-- figures: mart_progression_by_point, mart_group_comparison, mart_reliable_change_by_quarter,
--   mart_citizen_progression
-- description: The share of due measurements collected is below completeness_target for
--   an intervention, team, staff member or month (groups with fewer than rate_min_due due
--   points are not judged). The figures then rest on part of the citizens only.
-- fix: Look at the missing_measurement rows of the group and the due list; agree in the
--   team who collects which measurement.

with

failures as (
    select * from chk_rate_failures
    where metric_id = 'completeness'
),

final as (
    select
        * exclude (metric_id),
        'completeness_below_target' as rule_id,
        chk_severity('completeness_below_target') as severity
    from failures
)

-- the columns are those of the base view (the runner inserts them by name)
select * from final  -- noqa: AM04
