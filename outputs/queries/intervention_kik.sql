-- Mean fidelity (KiK) rating per core element across the intervention's courses, with the
-- number of citizens rated (hidden below k). Parameters: $intervention_id.
select
    element_no,
    core_element_id,
    is_suppressed,
    mean_rating,
    n_citizens
from mart_kik_by_element
where intervention_id = $intervention_id
order by element_no
