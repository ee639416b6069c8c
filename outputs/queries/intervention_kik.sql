-- Mean fidelity (KiK) rating per core element across the intervention's courses, with the
-- number of citizens rated (the deck hides means resting on fewer than k citizens).
-- Parameters: $intervention_id.
select
    element_no,
    core_element_id,
    avg(rating) filter (where is_valid) as mean_rating,
    count(distinct citizen_id) filter (where is_valid) as n_citizens
from mart_citizen_kik
where intervention_id = $intervention_id
group by element_no, core_element_id
order by element_no
