-- Per life area of the goal-attainment chart: its goals (n_bar_goals, hidden as null),
-- whether any cell is hidden, and the reached share (progression + maintenance reached)
-- when both of its cells are shown.
with

cells as (
    select * from mart_goal_attainment_by_area
    where intervention_id = $intervention_id
),

final as (
    select
        life_area_id,
        any_value(life_area_name) as life_area_name,
        min(area_order) as area_order,
        max(n_bar_goals) as n_goals,
        bool_or(is_suppressed) as has_hidden_cell,
        bool_or(is_suppressed and category in ('progression_reached', 'maintenance_reached'))
            as is_reached_hidden,
        coalesce(sum(share_goals) filter (
            where category in ('progression_reached', 'maintenance_reached')
        ), 0) as share_reached
    from cells
    group by life_area_id
)

select * from final
order by area_order
