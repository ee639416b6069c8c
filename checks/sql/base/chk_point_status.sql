-- view: chk_point_status
-- materialize: true
-- grain: one row per planned measurement point of a course in the run's scope
--   (int_point_status), with the staff member it is attributed to and its month.
-- Staff member: the one who collected the form; for a point without a form, the staff
--   member of the course's latest form, so a missing measurement counts against whoever
--   works with the citizen now.
-- columns: from int_point_status: course_id, intervention_id, team_id, instrument_id,
--   point_id, point_order, occurrence_no, due_date, window_closes_on, form_id,
--   measured_on, days_from_due, status, is_due, is_collected, is_on_time; plus
--   staff_id: attributed staff member (NULL when the course has no forms at all)
--   due_month: YYYY-MM of the due date

with

point_status as (
    select * from int_point_status
),

forms as (
    select * from int_forms
),

courses as (
    select * from chk_courses
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
        strftime(point_status.due_date, '%Y-%m') as due_month
    from point_status
    inner join courses on point_status.course_id = courses.course_id
    left join form_staff on point_status.form_id = form_staff.form_id
    left join course_staff on point_status.course_id = course_staff.course_id
)

select * from final
