-- Mean total score per planned point, per intervention and instrument, nationally.
select
    intervention_id,
    instrument_id,
    direction,
    point_id,
    point_order,
    occurrence_no,
    is_suppressed,
    suppression_reason,
    n_citizens,
    n_courses,
    mean_score
from national_progression_by_point
order by intervention_id, instrument_id, point_order, occurrence_no
