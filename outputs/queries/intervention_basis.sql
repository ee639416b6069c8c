-- Courses and citizens of an intervention active in the quarter, by case status ('all'
-- and one row per status; hidden cells below k). Parameters: $intervention_id, $period.
select
    case_status,
    is_suppressed,
    suppression_reason,
    n_citizens,
    n_courses
from mart_intervention_basis_by_quarter
where intervention_id = $intervention_id and period = $period
order by case_status
