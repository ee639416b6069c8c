-- Goal attainment cells per life area (one stacked bar per area).
-- Parameters: $intervention_id.
select
    life_area_id,
    life_area_name,
    area_order,
    category,
    is_suppressed,
    n_citizens,
    n_goals,
    n_bar_goals as n_goals_in_area,
    share_goals
from mart_goal_attainment_by_area
where intervention_id = $intervention_id
order by area_order, category_order
