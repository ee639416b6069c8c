-- model: mart_citizen_goals
-- grain: one row per goal: the citizen's goals with baseline, latest level and
--   attainment category (rule in int_goal_attainment). Not suppressed.
-- incremental: course_id
-- columns:
--   course_id: course id
--   citizen_id: pseudonymised citizen id
--   intervention_id: intervention id
--   team_id: team id
--   case_status: open | closed_planned | closed_unplanned
--   goal_id: goal id
--   life_area_id: life area id
--   life_area_name: life area name from config
--   goal_type: progression | maintenance
--   description: goal text (CPR numbers masked by ingest)
--   weight: goal weight (GAS)
--   set_on: date the goal was set
--   n_ratings: number of ratings
--   baseline_on: date of the first rating
--   baseline_level: first rating (-2..+2)
--   latest_on: date of the latest rating
--   latest_level: latest rating (-2..+2)
--   category: progression_reached | positive_development | maintenance_reached |
--     no_development | deterioration | NULL (not assessed)
--   category_order: 1..5 in the handbook's order
--   not_assessed_reason: no_ratings | only_baseline | unknown_goal_type | NULL

with

goals as (
    select * from int_goal_attainment
),

life_areas as (
    select * from ref.life_areas
),

final as (
    select
        goals.course_id,
        goals.citizen_id,
        goals.intervention_id,
        goals.team_id,
        goals.case_status,
        goals.goal_id,
        goals.life_area_id,
        life_areas.life_area_name,
        goals.goal_type,
        goals.description,
        goals.weight,
        goals.set_on,
        goals.n_ratings,
        goals.baseline_on,
        goals.baseline_level,
        goals.latest_on,
        goals.latest_level,
        goals.category,
        goals.category_order,
        goals.not_assessed_reason
    from goals
    left join life_areas on goals.life_area_id = life_areas.life_area_id
)

select * from final
