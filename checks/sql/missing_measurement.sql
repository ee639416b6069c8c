-- rule: missing_measurement
-- table: int_point_status
-- checked: chk_due_points
-- figures: mart_progression_by_point, mart_group_comparison, mart_reliable_change_by_quarter,
--   mart_citizen_measurement_status
-- description: A planned measurement is overdue: its tolerance window closed before the
--   as-of date and no form of the instrument was assigned to the point (status overdue
--   in int_point_status). Points anchored at the course end count only once the course
--   has ended; points after an early course end do not count.
-- fix: Collect the measurement if it can still be done, or register it in the source
--   system if it was collected; otherwise note why it was not (the due list names it
--   until its window has been closed for {lookback_days} days; older ones are only here).

with

points as (
    select * from chk_point_status
),

final as (
    select
        'missing_measurement' as rule_id,
        chk_severity('missing_measurement') as severity,
        'int_point_status' as table_name,
        intervention_id,
        team_id,
        staff_id,
        course_id,
        instrument_id,
        point_id,
        due_date as event_date,
        date_diff('day', window_closes_on, (select p.as_of_date from chk_params as p))::double
            as observed,
        instrument_id || ' at ' || point_id || ' was due ' || strftime(due_date, '%Y-%m-%d')
        || ' (on time until ' || strftime(window_closes_on, '%Y-%m-%d')
        || ') and has not been collected' as reason
    from points
    where status = 'overdue'
)

select * from final
