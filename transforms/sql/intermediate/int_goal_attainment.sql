-- model: int_goal_attainment
-- grain: one row per goal (staging.goals) of a known course.
-- incremental: course_id
-- Baseline = the goal's first rating, latest = its last rating (by rated_on). A goal
--   needs at least two ratings to be assessed. Category (GAS levels -2..+2, where 0 is
--   the agreed goal level), checked in this order:
--   progression goal:
--     progression_reached   latest >= 0 (also when the baseline was higher)
--     positive_development  latest > baseline but latest < 0
--     no_development        latest = baseline (< 0)
--     deterioration         latest < baseline
--   maintenance goal:
--     maintenance_reached   latest >= baseline
--     deterioration         latest < baseline
-- Not assessed (category NULL, not_assessed_reason): no_ratings | only_baseline |
--   unknown_goal_type.
-- columns:
--   goal_id: goal id (source's goal ref)
--   course_id: course id
--   citizen_id: pseudonymised citizen id
--   is_repeat_citizen: true when the citizen has more than one course in the intervention
--   intervention_id: intervention id
--   variant: intervention variant
--   team_id: team id
--   case_status: open | closed_planned | closed_unplanned
--   life_area_id: life area id from config
--   goal_type: progression | maintenance
--   set_on: date the goal was set
--   weight: goal weight (GAS)
--   description: goal text (CPR numbers masked by ingest)
--   n_ratings: number of ratings
--   baseline_on: date of the first rating
--   baseline_level: first rating (-2..+2)
--   latest_on: date of the latest rating
--   latest_level: latest rating (-2..+2)
--   category: goal attainment category (NULL when not assessed)
--   category_order: 1..5 in the handbook's order
--   not_assessed_reason: no_ratings | only_baseline | unknown_goal_type | NULL

with

goals as (
    select * from staging.goals
),

ratings as (
    select * from staging.goal_ratings
),

courses as (
    select * from int_courses
),

categories as (
    select * from ref.goal_categories
),

per_goal as (
    select
        goal_id,
        count(*) as n_ratings,
        min(rated_on) as baseline_on,
        arg_min(score, rated_on) as baseline_level,
        max(rated_on) as latest_on,
        arg_max(score, rated_on) as latest_level
    from ratings
    group by goal_id
),

classified as (
    select
        goals.goal_id,
        goals.course_id,
        courses.citizen_id,
        courses.is_repeat_citizen,
        courses.intervention_id,
        courses.variant,
        courses.team_id,
        courses.case_status,
        goals.life_area as life_area_id,
        goals.goal_type,
        goals.set_on,
        goals.weight,
        goals.description,
        per_goal.baseline_on,
        per_goal.baseline_level,
        per_goal.latest_on,
        per_goal.latest_level,
        coalesce(per_goal.n_ratings, 0) as n_ratings,
        case
            when per_goal.n_ratings is null then 'no_ratings'
            when per_goal.n_ratings < 2 then 'only_baseline'
            when goals.goal_type not in ('progression', 'maintenance') then 'unknown_goal_type'
        end as not_assessed_reason
    from goals
    inner join courses on goals.course_id = courses.course_id
    left join per_goal on goals.goal_id = per_goal.goal_id
),

categorised as (
    select
        classified.*,
        case
            when classified.not_assessed_reason is not null then null
            when classified.goal_type = 'maintenance'
                then case
                    when classified.latest_level >= classified.baseline_level
                        then 'maintenance_reached'
                    else 'deterioration'
                end
            when classified.latest_level >= 0 then 'progression_reached'
            when classified.latest_level > classified.baseline_level then 'positive_development'
            when classified.latest_level = classified.baseline_level then 'no_development'
            else 'deterioration'
        end as category
    from classified
),

final as (
    select
        categorised.goal_id,
        categorised.course_id,
        categorised.citizen_id,
        categorised.is_repeat_citizen,
        categorised.intervention_id,
        categorised.variant,
        categorised.team_id,
        categorised.case_status,
        categorised.life_area_id,
        categorised.goal_type,
        categorised.set_on,
        categorised.weight,
        categorised.description,
        categorised.n_ratings,
        categorised.baseline_on,
        categorised.baseline_level,
        categorised.latest_on,
        categorised.latest_level,
        categorised.category,
        categories.category_order,
        categorised.not_assessed_reason
    from categorised
    left join categories on categorised.category = categories.category
)

select * from final
