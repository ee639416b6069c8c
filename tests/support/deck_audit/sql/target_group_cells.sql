-- The cells of the intervention pack's target-group chart: the last two start years of
-- the intervention's main instrument, by gender (as outputs/queries/intervention_target_group.sql).
with

cells as (
    select * from mart_target_group_at_start
    where
        intervention_id = $intervention_id
        and instrument_id = $instrument_id
        and scale_id = 'total'
        and breakdown = 'gender'
        and group_value <> 'unknown'
),

years as (
    select distinct start_year from cells
    order by start_year desc
    limit 2
),

final as (
    select
        cells.start_year,
        cells.group_value,
        cells.is_suppressed,
        cells.suppression_reason,
        cells.n_citizens,
        cells.mean_baseline,
        cells.ci_low,
        cells.ci_high
    from cells
    inner join years on cells.start_year = years.start_year
)

select * from final
order by group_value, start_year
