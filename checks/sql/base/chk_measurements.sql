-- view: chk_measurements
-- grain: one row per staged item answer (staging.measurements) in the run's scope: all
--   of them for the organisation, else those whose course is in chk_courses. Course
--   columns are not joined here (7 million rows at 100 000 courses): rules that need
--   them read chk_forms, and the runner fills intervention and team from the course.
-- columns: the staging.measurements columns

with

measurements as (
    select * from staging.measurements
),

courses as (
    select * from chk_courses
),

final as (
    select measurements.*
    from measurements
    where
        getvariable('chk_scope_kind') = 'organisation'
        or measurements.course_id in (select courses.course_id from courses)
)

select * from final
