-- model: mart_costs_per_unit
-- grain: one row per intervention, quarter and unit cost (int_costs_by_quarter
--   quarters; cost_per_citizen_improved once per outcome instrument of
--   int_costs_outcome_instruments): the quarter's total cost divided by what it bought.
-- Units:
--   cost_per_course            total / courses running or with activities in the quarter
--   cost_per_citizen_month     total / citizen months in the quarter
--   cost_per_citizen_improved  total / citizens reliably improved in the quarter on the
--                              instrument (int_costs_results_by_quarter)
--   cost_per_goal_reached      total / goals reached in the quarter
--   cost_per_unit_dkk is NULL when there are no units or the total is unknown.
-- Hiding: a row whose cost total is hidden in mart_costs_by_quarter is hidden with the
--   same reason (small_cell | dominance), since total = unit cost x units; a row whose
--   units rest on fewer than k citizens is hidden as small_cell. Hidden rows carry no
--   amounts and no counts.
-- columns:
--   intervention_id: intervention id
--   quarter: calendar quarter, YYYY-Qn
--   metric: cost_per_course | cost_per_citizen_month | cost_per_citizen_improved |
--     cost_per_goal_reached
--   metric_order: 1..4 in the order above
--   instrument_id: outcome instrument (cost_per_citizen_improved only, else NULL)
--   is_headline_instrument: true for the intervention's headline instrument (and for
--     the rows without an instrument)
--   suppression_group: the cost total the row divides (intervention and quarter)
--   is_suppressed: true when the row's values are hidden
--   suppression_reason: small_cell | dominance | NULL
--   total_cost_dkk: the quarter's total cost (the numerator)
--   n_units: courses, citizen months, citizens improved or goals reached
--   n_citizens: distinct citizens behind the units
--   cost_per_unit_dkk: total_cost_dkk / n_units

with

quarters as (
    select * from int_costs_by_quarter
),

costs as (
    select * from mart_costs_by_quarter
),

outcome_instruments as (
    select * from int_costs_outcome_instruments
),

results as (
    select * from int_costs_results_by_quarter
),

settings as (
    select * from ref.settings
),

per_course as (
    select
        intervention_id,
        quarter,
        'cost_per_course' as metric,
        1 as metric_order,
        cast(null as varchar) as instrument_id,
        true as is_headline_instrument,
        total_cost_dkk,
        cast(n_courses as double) as units,
        n_citizens
    from quarters
),

per_month as (
    select
        intervention_id,
        quarter,
        'cost_per_citizen_month' as metric,
        2 as metric_order,
        cast(null as varchar) as instrument_id,
        true as is_headline_instrument,
        total_cost_dkk,
        citizen_months as units,
        n_citizens
    from quarters
),

per_improved as (
    select
        quarters.intervention_id,
        quarters.quarter,
        'cost_per_citizen_improved' as metric,
        3 as metric_order,
        outcome_instruments.instrument_id,
        outcome_instruments.is_headline as is_headline_instrument,
        quarters.total_cost_dkk,
        cast(coalesce(results.n_results, 0) as double) as units,
        coalesce(results.n_citizens, 0) as n_citizens
    from quarters
    inner join outcome_instruments
        on quarters.intervention_id = outcome_instruments.intervention_id
    left join results
        on
            quarters.intervention_id = results.intervention_id
            and quarters.quarter = results.quarter
            and outcome_instruments.instrument_id = results.instrument_id
            and results.result = 'citizen_improved'
),

per_goal as (
    select
        quarters.intervention_id,
        quarters.quarter,
        'cost_per_goal_reached' as metric,
        4 as metric_order,
        cast(null as varchar) as instrument_id,
        true as is_headline_instrument,
        quarters.total_cost_dkk,
        cast(coalesce(results.n_results, 0) as double) as units,
        coalesce(results.n_citizens, 0) as n_citizens
    from quarters
    left join results
        on
            quarters.intervention_id = results.intervention_id
            and quarters.quarter = results.quarter
            and results.result = 'goal_reached'
),

unioned as (
    select * from per_course
    union all
    select * from per_month
    union all
    select * from per_improved
    union all
    select * from per_goal
),

flagged as (
    select
        unioned.*,
        costs.suppression_group,
        case
            when costs.is_suppressed then costs.suppression_reason
            -- fails closed: without a k every cell is hidden
            when coalesce(unioned.n_citizens < settings.small_cell_k, true) then 'small_cell'
        end as reason
    from unioned
    inner join costs
        on unioned.intervention_id = costs.intervention_id and unioned.quarter = costs.quarter
    cross join settings
),

hidden as (
    select
        intervention_id,
        quarter,
        metric,
        metric_order,
        instrument_id,
        is_headline_instrument,
        suppression_group,
        reason as suppression_reason,
        reason is not null as is_suppressed,
        case when reason is null then total_cost_dkk end as total_cost_dkk,
        case when reason is null then units end as n_units,
        case when reason is null then n_citizens end as n_citizens,
        case when reason is null then total_cost_dkk / nullif(units, 0) end
            as cost_per_unit_dkk
    from flagged
),

final as (
    select
        -- ids
        intervention_id,
        quarter,
        metric,
        metric_order,
        instrument_id,
        is_headline_instrument,
        -- hiding
        suppression_group,
        is_suppressed,
        suppression_reason,
        -- values
        total_cost_dkk,
        n_units,
        n_citizens,
        cost_per_unit_dkk
    from hidden
)

select * from final
