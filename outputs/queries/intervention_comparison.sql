-- Same-cohort means per group and planned point for one breakdown, with the 95 %
-- interval of each group's change since start (what a title may compare).
-- Parameters: $intervention_id, $instrument_id, $breakdown.
select
    group_value,
    point_id,
    point_order,
    occurrence_no,
    is_suppressed,
    n_citizens,
    n_courses,
    mean_score,
    ci_change_low,
    ci_change_high
from mart_group_comparison
where
    intervention_id = $intervention_id
    and instrument_id = $instrument_id
    and scale_id = 'total'
    and series = 'cohort'
    and breakdown = $breakdown
    and group_value <> 'unknown'
order by group_value, point_order, occurrence_no
