-- Means per point and series (cohort, all) of one instrument's progression chart.
select
    series,
    point_id,
    point_order,
    occurrence_no,
    is_suppressed,
    n_citizens,
    mean_score,
    change_since_start
from mart_progression_by_point
where
    intervention_id = $intervention_id
    and instrument_id = $instrument_id
    and scale_id = 'total'
order by point_order, occurrence_no, series
