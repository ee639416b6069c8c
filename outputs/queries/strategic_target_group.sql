-- Citizens at start per start year on each intervention's headline instrument (all
-- citizens, total score): share at the clinical level and mean baseline. No parameters.
with

headline as (
    select distinct
        intervention_id,
        instrument_id
    from mart_costs_per_unit
    where metric = 'cost_per_citizen_improved' and is_headline_instrument
)

select
    cells.intervention_id,
    cells.instrument_id,
    cells.start_year,
    cells.is_suppressed,
    cells.suppression_reason,
    cells.n_citizens,
    cells.n_with_cutoff,
    cells.mean_baseline,
    cells.ci_low,
    cells.ci_high,
    cells.share_clinical,
    cells.ci_share_clinical_low,
    cells.ci_share_clinical_high
from mart_target_group_at_start as cells
inner join headline
    on
        cells.intervention_id = headline.intervention_id
        and cells.instrument_id = headline.instrument_id
where cells.breakdown = 'all' and cells.scale_id = 'total'
order by cells.intervention_id, cells.start_year
