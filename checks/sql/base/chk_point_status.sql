-- view: chk_point_status
-- materialize: true
-- grain: one row per planned measurement point of a course in the run's scope
--   (int_point_status), with the staff member it is attributed to and its month.
-- Staff member: the one who collected the form; for a point without a form, the staff
--   member who collected most of the course's forms (ties: the latest form's), so a
--   missing measurement counts against whoever works with the citizen.
-- columns: the int_point_status columns, plus
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
        staff_id
    from forms
    where staff_id is not null
    group by course_id, staff_id
    qualify row_number() over (
        partition by course_id order by count(*) desc, max(measured_on) desc, staff_id
    ) = 1
),

form_staff as (
    select
        form_id,
        staff_id
    from forms
),

final as (
    select
        point_status.*,
        coalesce(form_staff.staff_id, course_staff.staff_id) as staff_id,
        strftime(point_status.due_date, '%Y-%m') as due_month
    from point_status
    inner join courses on point_status.course_id = courses.course_id
    left join form_staff on point_status.form_id = form_staff.form_id
    left join course_staff on point_status.course_id = course_staff.course_id
)

select * from final
