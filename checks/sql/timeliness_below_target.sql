-- rule: timeliness_below_target
-- table: int_point_status
-- checked: chk_timeliness_rates
-- figures: mart_progression_by_point, mart_citizen_progression
-- description: The share of collected measurements taken inside the tolerance window is
--   below timeliness_target for an intervention, team, staff member or month. Late
--   measurements sit further from the planned point, so changes over points blur.
-- fix: Use the due list in the team's meetings; plan measurements in the calendar when a
--   course starts.

with

failures as (
    select * from chk_rate_failures
    where metric_id = 'timeliness'
),

final as (
    select
        * exclude (metric_id),
        'timeliness_below_target' as rule_id,
        chk_severity('timeliness_below_target') as severity
    from failures
)

-- the columns are those of the base view (the runner inserts them by name)
select * from final  -- noqa: AM04
