-- Mean total score per planned point, same cohort and all measured.
-- Parameters: $intervention_id, $instrument_id.
select
    series,
    point_id,
    point_order,
    occurrence_no,
    is_suppressed,
    n_citizens,
    n_courses,
    mean_score,
    change_since_start
from mart_progression_by_point
where
    intervention_id = $intervention_id
    and instrument_id = $instrument_id
    and scale_id = 'total'
order by point_order, occurrence_no, series
