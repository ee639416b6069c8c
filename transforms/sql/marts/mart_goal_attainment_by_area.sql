-- model: mart_goal_attainment_by_area
-- grain: one row per intervention, life area and goal attainment category that has
--   goals (handbook fig. 6: one stacked bar per life area). Assessed goals only
--   (category rule in int_goal_attainment); a missing row means no goals (0 %).
-- share_goals = goals in the category / assessed goals in the life area. Cells with
--   fewer than k citizens are hidden, plus the complementary cell of the same bar.
-- columns:
--   intervention_id: intervention id
--   life_area_id: life area id
--   life_area_name: life area name from config
--   area_order: order of the life area in config
--   category: progression_reached | positive_development | maintenance_reached |
--     no_development | deterioration
--   category_order: 1..5 in the handbook's order
--   suppression_group: the bar (intervention and life area)
--   is_suppressed: true when the cell's values are hidden
--   suppression_reason: small_cell | complementary | NULL
--   n_citizens: distinct citizens with a goal in the category
--   n_goals: goals in the category
--   n_goals_in_area: assessed goals in the life area (the bar's total; NULL in hidden cells)
--   share_goals: n_goals / n_goals_in_area
--   ci_low: Wilson 95 % interval of the share, lower end
--   ci_high: Wilson 95 % interval of the share, upper end
--   n_bar_goals: the bar's total on every row of the bar, hidden cells included, when
--     at least one cell of the bar is shown (what a deck prints as the bar's n)

with

goals as (
    select * from int_goal_attainment
    where category is not null
),

life_areas as (
    select * from ref.life_areas
),

counted as (
    select
        intervention_id,
        life_area_id,
        category,
        category_order,
        count(distinct citizen_id) as n_citizens,
        count(*) as n_goals
    from goals
    group by all
),

aggregated as (
    select
        intervention_id,
        life_area_id,
        category,
        category_order,
        n_citizens,
        n_goals,
        sum(n_goals) over bar as n_goals_in_area,
        n_goals / sum(n_goals) over bar as share_goals,
        wilson_low(n_goals, sum(n_goals) over bar) as ci_low,
        wilson_high(n_goals, sum(n_goals) over bar) as ci_high
    from counted
    window bar as (partition by intervention_id, life_area_id)
),

-- cells is read by name inside the suppression macro, which sqlfluff cannot see
cells as (  -- noqa: ST03
    select
        *,
        concat_ws('|', intervention_id, life_area_id) as suppression_group
    from aggregated
),

suppressed as (
    select * from suppress_small_cells(cells)
),

final as (
    select
        suppressed.intervention_id,
        suppressed.life_area_id,
        life_areas.life_area_name,
        life_areas.area_order,
        suppressed.category,
        suppressed.category_order,
        suppressed.suppression_group,
        suppressed.is_suppressed,
        suppressed.suppression_reason,
        suppressed.n_citizens,
        suppressed.n_goals,
        suppressed.n_goals_in_area,
        suppressed.share_goals,
        suppressed.ci_low,
        suppressed.ci_high,
        max(suppressed.n_goals_in_area) over (
            partition by suppressed.intervention_id, suppressed.life_area_id
        ) as n_bar_goals
    from suppressed
    left join life_areas on suppressed.life_area_id = life_areas.life_area_id
)

select * from final
