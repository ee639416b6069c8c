-- view: chk_goal_ratings
-- grain: one row per staged goal rating in the run's scope (by its goal's course; rows
--   whose goal or course is not staged belong to the organisation scope).
-- columns: the staging.goal_ratings columns

with

ratings as (
    select * from staging.goal_ratings
),

goals as (
    select * from staging.goals
),

courses as (
    select * from staging.courses
),

final as (
    select ratings.*
    from ratings
    left join goals on ratings.goal_id = goals.goal_id
    left join courses on goals.course_id = courses.course_id
    where chk_in_scope(courses.intervention_id, courses.team_id)
)

select * from final
