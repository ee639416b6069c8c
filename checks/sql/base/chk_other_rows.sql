-- view: chk_other_rows
-- grain: one row per staged goal, goal rating, registration or activity in the run's
--   scope (table_name says which), with the course it belongs to.
-- Goal ratings reach their course through their goal.
-- columns:
--   table_name: staging table of the row
--   key_id: goal id (goals, goal_ratings), else NULL
--   course_id, event_date (set_on, rated_on, registered_on, activity_date), staff_id
--   intervention_id, team_id, course_start, course_end: from the course (NULL if unknown)
--   has_parent: false when the goal (goal ratings) or course is not staged
--   file_name, row_no: lineage

with

courses as (
    select * from staging.courses
),

loads as (
    select
        load_id,
        file_name
    from staging.loads
),

goals as (
    select * from staging.goals
),

goal_ratings as (
    select * from staging.goal_ratings
),

registrations as (
    select * from staging.registrations
),

activities as (
    select * from staging.activities
),

unioned as (
    select
        'staging.goals' as table_name,
        goal_id as key_id,
        course_id,
        set_on as event_date,
        null::varchar as staff_id,
        true as has_goal,
        load_id,
        row_no
    from goals
    union all
    select
        'staging.goal_ratings' as table_name,
        goal_ratings.goal_id as key_id,
        goals.course_id,
        goal_ratings.rated_on as event_date,
        goal_ratings.staff_id,
        goals.goal_id is not null as has_goal,
        goal_ratings.load_id,
        goal_ratings.row_no
    from goal_ratings
    left join goals on goal_ratings.goal_id = goals.goal_id
    union all
    select
        'staging.registrations' as table_name,
        null as key_id,
        course_id,
        registered_on as event_date,
        null as staff_id,
        true as has_goal,
        load_id,
        row_no
    from registrations
    union all
    select
        'staging.activities' as table_name,
        null as key_id,
        course_id,
        activity_date as event_date,
        staff_id,
        true as has_goal,
        load_id,
        row_no
    from activities
),

final as (
    select
        unioned.table_name,
        unioned.key_id,
        unioned.course_id,
        unioned.event_date,
        unioned.staff_id,
        courses.intervention_id,
        courses.team_id,
        courses.start_date as course_start,
        courses.end_date as course_end,
        unioned.has_goal and courses.course_id is not null as has_parent,
        loads.file_name,
        unioned.row_no
    from unioned
    left join courses on unioned.course_id = courses.course_id
    left join loads on unioned.load_id = loads.load_id
    where chk_in_scope(courses.intervention_id, courses.team_id)
)

select * from final
