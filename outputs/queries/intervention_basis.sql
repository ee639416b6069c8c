-- Courses and citizens of an intervention that were active in the period, by case
-- status. Parameters: $intervention_id, $period_start, $period_end.
select
    count(*) as n_courses,
    count(distinct citizen_id) as n_citizens,
    count(*) filter (where case_status = 'open') as n_open,
    count(*) filter (where case_status = 'closed_planned') as n_closed_planned,
    count(*) filter (where case_status = 'closed_unplanned') as n_closed_unplanned
from mart_citizen_courses
where
    intervention_id = $intervention_id
    and start_date <= $period_end
    and (end_date is null or end_date >= $period_start)
