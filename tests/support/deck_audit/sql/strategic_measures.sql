-- Every measure of the leaders' summary for one quarter, per intervention.
select
    intervention_id,
    intervention_name,
    quarter,
    measure,
    is_suppressed,
    n_citizens,
    n_units,
    measure_value
from mart_strategic_overview
where quarter = $quarter
order by intervention_id, measure
