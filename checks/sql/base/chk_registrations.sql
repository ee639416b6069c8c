-- view: chk_registrations
-- grain: one row per staged row of staging.registrations in the run's scope (by its course;
--   rows whose course is not staged belong to the organisation scope).
-- columns: the staging.registrations columns

with

rows_ as (
    select * from staging.registrations
),

courses as (
    select * from staging.courses
),

final as (
    select rows_.*
    from rows_
    left join courses on rows_.course_id = courses.course_id
    where chk_in_scope(courses.intervention_id, courses.team_id)
)

select * from final
