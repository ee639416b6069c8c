-- Mean improvement since start (positive = better) per KiK level of an intervention.
select
    fidelity_level,
    is_suppressed,
    n_citizens,
    mean_improvement,
    ci_low,
    ci_high
from mart_fidelity_outcome
where intervention_id = $intervention_id and instrument_id = $instrument_id
order by level_order
