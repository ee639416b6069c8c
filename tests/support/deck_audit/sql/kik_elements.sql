-- Mean KiK rating per core element of an intervention.
select
    element_no,
    is_suppressed,
    n_citizens,
    mean_rating
from mart_kik_by_element
where intervention_id = $intervention_id
order by element_no
