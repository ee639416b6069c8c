-- model: mart_indicator_by_month
-- grain: one row per intervention, instrument and calendar month with at least one
--   scored form (total scale): the mean score of the forms measured that month, for the
--   run charts of improvement trials and of agreements that name an instrument. Each
--   month is a cell of its own (means do not add up), hidden below k citizens.
-- key: intervention_id, instrument_id, month_start
-- columns:
--   intervention_id: intervention id
--   instrument_id: instrument id
--   month_start: first day of the month
--   suppression_group: the cell itself
--   is_suppressed: true when the cell's values are hidden
--   suppression_reason: small_cell | NULL
--   n_citizens: distinct citizens with a scored form that month
--   n_forms: scored forms that month
--   mean_score: mean total score of those forms

with

progression as (
    select * from mart_citizen_progression
),

aggregated as (
    select
        intervention_id,
        instrument_id,
        date_trunc('month', measured_on)::date as month_start,
        count(distinct citizen_id) as n_citizens,
        count(*) as n_forms,
        avg(score) as mean_score
    from progression
    where scale_id = 'total' and score is not null and measured_on is not null
    group by all
),

-- cells is read by name inside the suppression macro, which sqlfluff cannot see
cells as (  -- noqa: ST03
    select
        *,
        concat_ws('|', intervention_id, instrument_id, month_start) as suppression_group
    from aggregated
),

suppressed as (
    select * from suppress_small_cells(cells)
),

final as (
    select
        suppressed.intervention_id,
        suppressed.instrument_id,
        suppressed.month_start,
        suppressed.suppression_group,
        suppressed.is_suppressed,
        suppressed.suppression_reason,
        suppressed.n_citizens,
        suppressed.n_forms,
        suppressed.mean_score
    from suppressed
)

select * from final
