-- rule: orphan_row
-- table: staging.measurements
-- checked: chk_forms, chk_other_rows, chk_courses
-- figures: all
-- description: A form, goal, goal rating, registration or activity points at a course
--   (or goal) that is not in the staged data, or a course at a citizen who is not.
-- fix: Export the missing course, goal or citizen too (check the export's date filter), or
--   correct the reference in the source system; then load again.

with

forms as (
    select * from chk_forms
),

other_rows as (
    select * from chk_other_rows
),

courses as (
    select * from chk_courses
),

citizens as (
    select * from staging.citizens
),

orphan_forms as (
    select
        'staging.measurements' as table_name,
        course_id,
        form_id,
        instrument_id,
        measured_on as event_date,
        staff_id,
        'form ' || form_id || ' belongs to course ' || course_id
        || ', which is not in the staged courses' as reason,
        file_name,
        row_no
    from forms
    where course_start is null
),

orphan_other as (
    select
        table_name,
        course_id,
        null as form_id,
        null as instrument_id,
        event_date,
        staff_id,
        case
            when table_name = 'staging.goal_ratings'
                then 'goal rating of goal ' || key_id || ': the goal or its course is not staged'
            else 'row belongs to course ' || coalesce(course_id, '(none)')
                || ', which is not in the staged courses'
        end as reason,
        file_name,
        row_no
    from other_rows
    where not has_parent
),

orphan_courses as (
    select
        'staging.courses' as table_name,
        courses.course_id,
        null as form_id,
        null as instrument_id,
        courses.start_date as event_date,
        null as staff_id,
        'course ' || courses.course_id || ' belongs to a citizen who is not in the staged citizens'
            as reason,
        courses.file_name,
        courses.row_no
    from courses
    anti join citizens on courses.citizen_id = citizens.citizen_id
),

unioned as (
    select * from orphan_forms
    union all by name
    select * from orphan_other
    union all by name
    select * from orphan_courses
),

final as (
    select
        'orphan_row' as rule_id,
        chk_severity('orphan_row') as severity,
        table_name,
        course_id,
        form_id,
        instrument_id,
        staff_id,
        event_date,
        reason,
        file_name,
        row_no
    from unioned
)

select * from final
