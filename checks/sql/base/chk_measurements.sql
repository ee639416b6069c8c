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

-- Two branches, one per kind of scope, rather than one filter with an OR: a variable
-- is a constant when the query is planned, so the branch that does not apply is pruned,
-- where "organisation or course in (...)" still matched every row against the scope's
-- courses (30-50 ms a scan at 100 000 courses, and the rules scan it several times).
final as (
    select measurements.*
    from measurements
    where getvariable('chk_scope_kind') = 'organisation'
    union all
    select measurements.*
    from measurements
    where
        getvariable('chk_scope_kind') <> 'organisation'
        and measurements.course_id in (select courses.course_id from courses)
)

select * from final
