-- view: chk_goals
-- grain: one row per staged row of staging.goals in the run's scope (by its course;
--   rows whose course is not staged belong to the organisation scope).
-- columns: the staging.goals columns

with

rows_ as (
    select * from staging.goals
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
