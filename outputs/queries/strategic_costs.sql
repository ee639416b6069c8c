-- Cost by kind per intervention for the quarters up to $period (all quarters: the
-- finance workbook shows them all; the deck uses the period).
-- Parameters: $period.
select
    intervention_id,
    intervention_name,
    quarter,
    is_complete_quarter,
    is_suppressed,
    suppression_reason,
    is_dominated,
    hourly_rate_dkk,
    staff_hours_source,
    staff_cost_source,
    fixed_cost_source,
    per_course_cost_source,
    n_courses,
    n_citizens,
    n_citizen_months,
    n_activities,
    n_activity_hours,
    n_staff_hours,
    staff_cost_dkk,
    fixed_cost_dkk,
    per_course_cost_dkk,
    variable_cost_dkk,
    total_cost_dkk,
    export_staff_dkk
from mart_costs_by_quarter
where quarter <= $period
order by intervention_id, quarter
