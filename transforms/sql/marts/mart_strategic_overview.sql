-- model: mart_strategic_overview
-- grain: one row per intervention, quarter and measure: results and costs side by side
--   for the leaders' quarterly summary (one long table; the deck and the finance
--   workbook pivot it).
-- Measures (measure_order):
--   1 citizens_active            citizens in a running course (mart_costs_by_quarter)
--   2 share_improved             share of courses measured in the quarter that are
--                                reliably improved on the intervention's headline
--                                instrument (mart_reliable_change_by_quarter, with its
--                                Wilson interval)
--   3 share_goals_reached        goals reached (progression or maintenance) of the goals
--                                assessed at a rating in the quarter (int_goal_attainment,
--                                by latest_on), with a Wilson interval
--   4 total_cost                 total cost (mart_costs_by_quarter)
--   5 cost_per_course, 6 cost_per_citizen_month, 7 cost_per_citizen_improved (headline
--     instrument), 8 cost_per_goal_reached (mart_costs_per_unit; 7 and 8 with the
--     interval of mart_costs_per_unit, from the Wilson interval of the results' share)
-- Hiding is taken over from the source marts; share_goals_reached hides quarters with
--   fewer than k citizens (suppress_small_cells). Hidden rows carry no value and no n.
--   A share whose unit cost is hidden for its few units (cost_per_citizen_improved or
--   cost_per_goal_reached hidden as small_cell, with 1 or more units) is hidden too, as
--   complementary: its value times its n gives those units back ("14 %, n = 14": 2
--   improved), and with total_cost the hidden unit cost. A share of 0 stays shown.
-- columns:
--   intervention_id: intervention id
--   intervention_name: intervention name from config
--   quarter: calendar quarter, YYYY-Qn
--   measure: one of the measures above
--   measure_order: 1..8
--   kind: volume | result | cost
--   instrument_id: the headline instrument (share_improved, cost_per_citizen_improved)
--   suppression_group: the cell (intervention, quarter and measure)
--   is_suppressed: true when the value is hidden
--   suppression_reason: small_cell | dominance | complementary | NULL
--   n_citizens: distinct citizens behind the value
--   n_units: courses measured (share_improved), goals assessed (share_goals_reached),
--     units of a unit cost; NULL otherwise
--   measure_value: the share (0-1), the amount (DKK) or the count
--   ci_low: lower end of the 95 % interval (shares; cost per citizen improved and per
--     goal reached, in DKK)
--   ci_high: upper end of the 95 % interval (as ci_low; NULL when unbounded)

with

costs as (
    select * from mart_costs_by_quarter
),

unit_costs as (
    select * from mart_costs_per_unit
),

reliable_change as (
    select * from mart_reliable_change_by_quarter
),

outcome_instruments as (
    select * from int_costs_outcome_instruments
),

goals as (
    select * from int_goal_attainment
),

interventions as (
    select * from ref.interventions
),

active as (
    select
        intervention_id,
        quarter,
        'citizens_active' as measure,
        1 as measure_order,
        'volume' as kind,
        cast(null as varchar) as instrument_id,
        is_suppressed and suppression_reason = 'small_cell' as is_suppressed,
        case when suppression_reason = 'small_cell' then 'small_cell' end
            as suppression_reason,
        n_citizens,
        cast(null as double) as n_units,
        cast(n_citizens as double) as measure_value,
        cast(null as double) as ci_low,
        cast(null as double) as ci_high
    from costs
),

improved as (
    select
        reliable_change.intervention_id,
        reliable_change.period as quarter,  -- noqa: RF04
        'share_improved' as measure,
        2 as measure_order,
        'result' as kind,
        reliable_change.instrument_id,
        reliable_change.is_suppressed,
        reliable_change.suppression_reason,
        reliable_change.n_citizens,
        cast(reliable_change.n_courses as double) as n_units,
        reliable_change.share_improved as measure_value,
        reliable_change.ci_low,
        reliable_change.ci_high
    from reliable_change
    inner join outcome_instruments
        on
            reliable_change.intervention_id = outcome_instruments.intervention_id
            and reliable_change.instrument_id = outcome_instruments.instrument_id
    where outcome_instruments.is_headline
),

goal_cells as (  -- noqa: ST03
    select
        intervention_id,
        strftime(latest_on, '%Y') || '-Q' || quarter(latest_on) as quarter,  -- noqa: RF04
        count(distinct citizen_id) as n_citizens,
        count(*) as n_goals,
        count(*) filter (where category in ('progression_reached', 'maintenance_reached'))
        / count(*) as share_reached,
        wilson_low(
            count(*) filter (
                where category in ('progression_reached', 'maintenance_reached')
            ),
            count(*)
        ) as ci_low,
        wilson_high(
            count(*) filter (
                where category in ('progression_reached', 'maintenance_reached')
            ),
            count(*)
        ) as ci_high,
        concat_ws(
            '|', intervention_id, strftime(latest_on, '%Y') || '-Q' || quarter(latest_on)
        ) as suppression_group
    from goals
    where category is not null
    group by intervention_id, strftime(latest_on, '%Y') || '-Q' || quarter(latest_on)
),

goal_suppressed as (
    select * from suppress_small_cells(goal_cells)
),

goals_reached as (
    select
        intervention_id,
        quarter,
        'share_goals_reached' as measure,
        3 as measure_order,
        'result' as kind,
        cast(null as varchar) as instrument_id,
        is_suppressed,
        suppression_reason,
        n_citizens,
        cast(n_goals as double) as n_units,
        share_reached as measure_value,
        ci_low,
        ci_high
    from goal_suppressed
),

total as (
    select
        intervention_id,
        quarter,
        'total_cost' as measure,
        4 as measure_order,
        'cost' as kind,
        cast(null as varchar) as instrument_id,
        is_suppressed,
        suppression_reason,
        n_citizens,
        cast(null as double) as n_units,
        total_cost_dkk as measure_value,
        cast(null as double) as ci_low,
        cast(null as double) as ci_high
    from costs
),

per_unit as (
    select
        intervention_id,
        quarter,
        metric as measure,
        4 + metric_order as measure_order,
        'cost' as kind,
        instrument_id,
        is_suppressed,
        suppression_reason,
        n_citizens,
        n_units,
        cost_per_unit_dkk as measure_value,
        ci_low_dkk as ci_low,
        ci_high_dkk as ci_high
    from unit_costs
    where is_headline_instrument
),

unioned as (
    select * from active
    union all
    select * from improved
    union all
    select * from goals_reached
    union all
    select * from total
    union all
    select * from per_unit
),

-- a share beside a unit cost hidden for its few units (see the header)
few_units as (
    select
        intervention_id,
        quarter,
        case measure
            when 'cost_per_citizen_improved' then 'share_improved'
            when 'cost_per_goal_reached' then 'share_goals_reached'
        end as share_measure
    from unioned
    where
        is_suppressed
        and suppression_reason = 'small_cell'
        and measure in ('cost_per_citizen_improved', 'cost_per_goal_reached')
),

with_secondary as (
    select
        unioned.* replace (
            unioned.is_suppressed or few_units.share_measure is not null as is_suppressed,
            case
                when not unioned.is_suppressed and few_units.share_measure is not null
                    then 'complementary'
                else unioned.suppression_reason
            end as suppression_reason
        )
    from unioned
    left join few_units
        on
            unioned.intervention_id = few_units.intervention_id
            and unioned.quarter = few_units.quarter
            and unioned.measure = few_units.share_measure
            and unioned.measure_value > 0
),

labelled as (
    select
        shown.intervention_id,
        interventions.intervention_name,
        shown.quarter,
        shown.measure,
        shown.measure_order,
        shown.kind,
        shown.instrument_id,
        shown.is_suppressed,
        shown.suppression_reason,
        concat_ws('|', shown.intervention_id, shown.quarter, shown.measure)
            as suppression_group,
        case when not shown.is_suppressed then shown.n_citizens end as n_citizens,
        case when not shown.is_suppressed then shown.n_units end as n_units,
        case when not shown.is_suppressed then shown.measure_value end as measure_value,
        case when not shown.is_suppressed then shown.ci_low end as ci_low,
        case when not shown.is_suppressed then shown.ci_high end as ci_high
    from with_secondary as shown
    left join interventions on shown.intervention_id = interventions.intervention_id
),

final as (
    select
        -- ids
        intervention_id,
        intervention_name,
        quarter,
        measure,
        measure_order,
        kind,
        instrument_id,
        -- hiding
        suppression_group,
        is_suppressed,
        suppression_reason,
        -- values
        n_citizens,
        n_units,
        measure_value,
        ci_low,
        ci_high
    from labelled
)

select * from final
