-- Mean total score at start by group for the latest two start years with data.
-- Parameters: $intervention_id, $instrument_id, $breakdown.
with

cells as (
    select * from mart_target_group_at_start
    where
        intervention_id = $intervention_id
        and instrument_id = $instrument_id
        and scale_id = 'total'
        and breakdown = $breakdown
        and group_value <> 'unknown'
),

years as (
    select distinct start_year from cells order by start_year desc limit 2
)

select
    cells.start_year,
    cells.group_value,
    cells.is_suppressed,
    cells.n_citizens,
    cells.n_courses,
    cells.mean_baseline,
    cells.ci_low,
    cells.ci_high
from cells
inner join years on cells.start_year = years.start_year
order by cells.group_value, cells.start_year
