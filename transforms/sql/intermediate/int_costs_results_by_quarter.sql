-- model: int_costs_results_by_quarter
-- grain: one row per intervention, quarter and result that has at least one result:
--   the results that unit costs are divided by, and what they are a share of.
-- Results:
--   citizen_improved (one row per outcome instrument of int_costs_outcome_instruments):
--     citizens whose course, measured in the quarter, shows reliable improvement at its
--     latest classed score of the quarter (recovered or reliably_improved; the rule of
--     mart_reliable_change_by_quarter, classes from int_scores). A citizen counts in
--     every quarter such a measurement shows it.
--   goal_reached: goals whose attainment (int_goal_attainment) is progression_reached
--     or maintenance_reached, counted once, in the quarter of the rating that shows it
--     (latest_on).
-- columns:
--   intervention_id: intervention id
--   quarter: calendar quarter, YYYY-Qn
--   result: citizen_improved | goal_reached
--   instrument_id: outcome instrument (citizen_improved; NULL for goal_reached)
--   n_results: citizens improved, or goals reached
--   n_citizens: distinct citizens behind the results
--   n_base: what the results are a share of: distinct citizens measured on the
--     instrument in the quarter (their latest classed score of the quarter, any class),
--     or goals assessed in the quarter (an attainment category, by latest_on); the
--     interval of a unit cost in mart_costs_per_unit comes from n_results of n_base

with

scores as (
    select * from int_scores
),

outcome_instruments as (
    select * from int_costs_outcome_instruments
),

goals as (
    select * from int_goal_attainment
),

classified as (
    select
        scores.intervention_id,
        scores.instrument_id,
        scores.course_id,
        scores.citizen_id,
        scores.form_id,
        scores.measured_on,
        scores.rci_class,
        strftime(scores.measured_on, '%Y') || '-Q' || quarter(scores.measured_on)
            as quarter  -- noqa: RF04
    from scores
    inner join outcome_instruments
        on
            scores.intervention_id = outcome_instruments.intervention_id
            and scores.instrument_id = outcome_instruments.instrument_id
    where scores.is_total and scores.rci_class is not null
),

latest_in_quarter as (
    select * from classified
    qualify row_number() over (
        partition by course_id, instrument_id, quarter
        order by measured_on desc, form_id desc
    ) = 1
),

improved as (
    select
        intervention_id,
        quarter,
        'citizen_improved' as result,
        instrument_id,
        count(distinct citizen_id) filter (
            where rci_class in ('recovered', 'reliably_improved')
        ) as n_results,
        count(distinct citizen_id) filter (
            where rci_class in ('recovered', 'reliably_improved')
        ) as n_citizens,
        count(distinct citizen_id) as n_base
    from latest_in_quarter
    group by all
    having n_results > 0
),

reached as (
    select
        intervention_id,
        strftime(latest_on, '%Y') || '-Q' || quarter(latest_on) as quarter,  -- noqa: RF04
        'goal_reached' as result,
        cast(null as varchar) as instrument_id,
        count(*) filter (
            where category in ('progression_reached', 'maintenance_reached')
        ) as n_results,
        count(distinct citizen_id) filter (
            where category in ('progression_reached', 'maintenance_reached')
        ) as n_citizens,
        count(*) as n_base
    from goals
    where category is not null
    group by all
    having n_results > 0
),

final as (
    select * from improved
    union all
    select * from reached
)

select * from final
