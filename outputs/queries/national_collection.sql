-- Completeness per intervention in the quarter (all instruments), nationally.
select
    intervention_id,
    is_suppressed,
    suppression_reason,
    n_citizens,
    n_due,
    share_collected,
    share_on_time,
    organisations
from national_measurement_collection_by_quarter
where period = $quarter and instrument_id is null
order by intervention_id
