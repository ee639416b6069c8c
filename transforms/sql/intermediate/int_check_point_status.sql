-- model: int_check_point_status
-- grain: one row per course, planned point, instrument and occurrence (int_point_status),
--   with the staff member the point is attributed to. What the checks' chk_point_status
--   reads (checks/sql/base), kept up to date by the build.
-- incremental: course_id
-- Staff member: the one who collected the form; for a point without a form, the staff
--   member of the course's latest form, so a missing measurement counts against whoever
--   works with the citizen now.
-- columns:
--   course_id: course id
--   intervention_id: intervention id
--   team_id: team id
--   instrument_id: instrument planned at the point
--   point_id: measurement point id
--   point_order: order of the point in the plan
--   occurrence_no: occurrence of a repeating point (0 otherwise)
--   due_date: date the measurement is due (NULL while awaiting the course end)
--   window_closes_on: last day of its tolerance window
--   form_id: the primary form collected at the point (NULL if none)
--   measured_on: date of that form
--   days_from_due: measured_on - due_date in days
--   status: the point's status on the as-of date (see int_point_status)
--   is_due: true when the point counts towards completeness (collected or overdue)
--   is_collected: true when a form is assigned to the point
--   is_on_time: true when collected within tolerance
--   staff_id: attributed staff member (NULL when the course has no forms at all)
--   due_month: YYYY-MM of the due date
--   from_point_id: the course's previous point of the same instrument (by point order,
--     then occurrence; NULL at the first): rule attrition counts who is lost between
--     adjacent points
--   from_occurrence_no: that point's occurrence
--   from_collected: true when that point was collected

with

point_status as (
    select * from int_point_status
),

forms as (
    select * from int_forms
),

course_staff as (
    select
        course_id,
        arg_max(staff_id, (measured_on, form_id)) as staff_id
    from forms
    where staff_id is not null
    group by course_id
),

form_staff as (
    select
        form_id,
        staff_id
    from forms
),

final as (
    select
        point_status.course_id,
        point_status.intervention_id,
        point_status.team_id,
        point_status.instrument_id,
        point_status.point_id,
        point_status.point_order,
        point_status.occurrence_no,
        point_status.due_date,
        point_status.window_closes_on,
        point_status.form_id,
        point_status.measured_on,
        point_status.days_from_due,
        point_status.status,
        point_status.is_due,
        point_status.is_collected,
        point_status.is_on_time,
        coalesce(form_staff.staff_id, course_staff.staff_id) as staff_id,
        strftime(point_status.due_date, '%Y-%m') as due_month,
        lag(point_status.point_id) over previous as from_point_id,
        lag(point_status.occurrence_no) over previous as from_occurrence_no,
        lag(point_status.is_collected) over previous as from_collected
    from point_status
    left join form_staff on point_status.form_id = form_staff.form_id
    left join course_staff on point_status.course_id = course_staff.course_id
    window previous as (
        partition by point_status.course_id, point_status.instrument_id
        order by point_status.point_order, point_status.occurrence_no
    )
)

select * from final
