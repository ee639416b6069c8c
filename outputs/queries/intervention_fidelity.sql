-- Mean improvement by fidelity level. Parameters: $intervention_id, $instrument_id.
select
    fidelity_level,
    is_suppressed,
    n_citizens,
    n_courses,
    mean_improvement,
    ci_low,
    ci_high
from mart_fidelity_outcome
where intervention_id = $intervention_id and instrument_id = $instrument_id
order by level_order
