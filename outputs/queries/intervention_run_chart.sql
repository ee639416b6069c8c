-- The monthly mean score of one instrument in the intervention (hidden months as
-- hidden), for a run chart. Parameters: $intervention_id, $instrument_id.
select
    month_start,
    is_suppressed,
    n_citizens,
    n_forms,
    mean_score
from mart_indicator_by_month
where intervention_id = $intervention_id and instrument_id = $instrument_id
order by month_start
