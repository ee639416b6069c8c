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
-- Interval (cost_per_citizen_improved, cost_per_goal_reached): the results are a share of
--   what was measured (n_results of n_base, int_costs_results_by_quarter); the Wilson
--   95 % interval [low, high] of that share (macros/stats.sql) gives the interval of the
--   cost per result, total / (n_base x high) to total / (n_base x low). The cost total is
--   taken as known (it is the accounts, not a sample); the interval says how much the
--   number of results could have differed by chance with the same number measured (see
--   docs/strategic.md). Courses and citizen months are counted, not sampled: no interval.
-- Hiding: a row whose cost total is hidden in mart_costs_by_quarter is hidden with the
--   same reason (small_cell | dominance), since total = unit cost x units; a row whose
--   units rest on fewer than k citizens is hidden as small_cell by the one suppression
--   macro (suppress_small_cells; each row is its own group, as unit costs are never
--   added up). Hidden rows carry no amounts, no counts and no interval.
-- columns:
--   intervention_id: intervention id
--   quarter: calendar quarter, YYYY-Qn
--   metric: cost_per_course | cost_per_citizen_month | cost_per_citizen_improved |
--     cost_per_goal_reached
--   metric_order: 1..4 in the order above
--   instrument_id: outcome instrument (cost_per_citizen_improved only, else NULL)
--   is_headline_instrument: true for the intervention's headline instrument (and for
--     the rows without an instrument)
--   suppression_group: the row itself (intervention, quarter, metric and instrument)
--   is_suppressed: true when the row's values are hidden
--   suppression_reason: small_cell | dominance | NULL
--   total_cost_dkk: the quarter's total cost (the numerator)
--   n_units: courses, citizen months, citizens improved or goals reached
--   n_citizens: distinct citizens behind the units
--   n_base: citizens measured on the instrument (cost_per_citizen_improved) or goals
--     assessed (cost_per_goal_reached) in the quarter; NULL for the other units
--   cost_per_unit_dkk: total_cost_dkk / n_units
--   ci_low_dkk: lower end of the 95 % interval of cost_per_unit_dkk (results only)
--   ci_high_dkk: upper end of the 95 % interval (NULL when it is unbounded or not a
--     result)

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
        n_citizens,
        cast(null as bigint) as base
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
        n_citizens,
        cast(null as bigint) as base
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
        coalesce(results.n_citizens, 0) as n_citizens,
        results.n_base as base
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
        coalesce(results.n_citizens, 0) as n_citizens,
        results.n_base as base
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

-- the cells as the suppression macro reads them (values under n_ / ci_ names, which
-- the macro hides in a small cell)
cells as (  -- noqa: ST03
    select
        intervention_id,
        quarter,
        metric,
        metric_order,
        instrument_id,
        is_headline_instrument,
        total_cost_dkk,
        units as n_units,
        n_citizens,
        base as n_base,
        concat_ws('|', intervention_id, quarter, metric, instrument_id) as suppression_group,
        total_cost_dkk / nullif(units, 0) as cost_per_unit_dkk,
        total_cost_dkk / nullif(base * wilson_high(units, base), 0) as ci_low_dkk,
        total_cost_dkk / nullif(base * wilson_low(units, base), 0) as ci_high_dkk
    from unioned
),

small_cells as (
    select * from suppress_small_cells(cells)
),

flagged as (
    select
        small_cells.*,
        -- the hiding of the cost total first: it is the numerator
        case
            when costs.is_suppressed then costs.suppression_reason
            else small_cells.suppression_reason
        end as reason
    from small_cells
    inner join costs
        on
            small_cells.intervention_id = costs.intervention_id
            and small_cells.quarter = costs.quarter
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
        case when reason is null then n_units end as n_units,
        case when reason is null then n_citizens end as n_citizens,
        case when reason is null then n_base end as n_base,
        case when reason is null then cost_per_unit_dkk end as cost_per_unit_dkk,
        case when reason is null then ci_low_dkk end as ci_low_dkk,
        case when reason is null then ci_high_dkk end as ci_high_dkk
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
        n_base,
        cost_per_unit_dkk,
        ci_low_dkk,
        ci_high_dkk
    from hidden
)

select * from final
