-- rule: early_measurement
-- table: int_point_status
-- checked: chk_collected_points
-- figures: mart_progression_by_point
-- description: A planned measurement was collected before its tolerance window opened
--   (status collected_early).
-- fix: Check the date; a start measurement taken at intake before the course start date
--   may mean the course start is registered too late.

with

points as (
    select * from chk_point_status
),

final as (
    select
        'early_measurement' as rule_id,
        chk_severity('early_measurement') as severity,
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
        || ', ' || -days_from_due || ' days before it was due (' || strftime(due_date, '%Y-%m-%d')
        || ')' as reason
    from points
    where status = 'collected_early'
)

select * from final
