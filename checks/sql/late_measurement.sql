-- rule: late_measurement
-- table: int_point_status
-- checked: chk_collected_points
-- figures: mart_progression_by_point, mart_citizen_measurement_status
-- description: A planned measurement was collected after its tolerance window closed
--   (status collected_late: more than tolerance_days after the due date, but still
--   within the assignment window).
-- fix: Plan the measurement ahead (the due list shows what falls due in the coming weeks);
--   if the date was typed wrongly, correct it in the source system.

with

points as (
    select * from chk_point_status
),

final as (
    select
        'late_measurement' as rule_id,
        chk_severity('late_measurement') as severity,
        'int_point_status' as table_name,
        intervention_id,
        team_id,
        staff_id,
        course_id,
        form_id,
        instrument_id,
        point_id,
        measured_on as event_date,
        days_from_due::double as observed,
        instrument_id || ' at ' || point_id || ' collected ' || strftime(measured_on, '%Y-%m-%d')
        || ', ' || days_from_due || ' days after it was due (' || strftime(due_date, '%Y-%m-%d')
        || '); on time until ' || strftime(window_closes_on, '%Y-%m-%d') as reason
    from points
    where status = 'collected_late'
)

select * from final
