-- Measurement collection for points due in the quarter, per instrument and for all
-- instruments (instrument_id NULL): due, collected, on time, overdue, and the shares.
-- Parameters: $intervention_id, $period.
select
    instrument_id,
    is_suppressed,
    n_due,
    n_collected,
    n_on_time,
    n_overdue,
    share_collected,
    share_on_time
from mart_measurement_collection_by_quarter
where intervention_id = $intervention_id and period = $period
order by instrument_id nulls first
