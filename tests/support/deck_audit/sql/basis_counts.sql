-- The data basis of an intervention's quarter, per case status ('all' is the total).
select
    case_status,
    is_suppressed,
    n_citizens,
    n_courses
from mart_intervention_basis_by_quarter
where intervention_id = $intervention_id and period = $period
order by case_status
