-- Share of due measurements collected and collected on time, all instruments together,
-- for an intervention's quarter (the row with no instrument).
select
    is_suppressed,
    n_due,
    share_collected,
    share_on_time
from mart_measurement_collection_by_quarter
where intervention_id = $intervention_id and period = $period and instrument_id is null
