-- view: chk_point_status
-- grain: one row per planned measurement point of a course in the run's scope
--   (int_point_status), with the staff member it is attributed to and its month: the
--   build's int_check_point_status (kept up to date there).
-- Staff member: the one who collected the form; for a point without a form, the staff
--   member of the course's latest form, so a missing measurement counts against whoever
--   works with the citizen now.
-- columns: from int_point_status: course_id, intervention_id, team_id, instrument_id,
--   point_id, point_order, occurrence_no, due_date, window_closes_on, form_id,
--   measured_on, days_from_due, status, is_due, is_collected, is_on_time; plus
--   staff_id: attributed staff member (NULL when the course has no forms at all)
--   due_month: YYYY-MM of the due date
--   from_point_id, from_occurrence_no, from_collected: the previous point of the
--     course and instrument and whether it was collected (chk_attrition)

with

point_status as (
    select * from int_check_point_status
),

final as (
    select point_status.*
    from point_status
    where chk_in_scope(point_status.intervention_id, point_status.team_id)
)

select * from final
