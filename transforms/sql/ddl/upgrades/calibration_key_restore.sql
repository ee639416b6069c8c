-- The rows set aside by calibration_key_keep.sql, into the table with the current
-- key: a missing case is '' (the workshop scored one case per instrument).
insert into staging.calibration_scores by name
select
    workshop_id,
    workshop_date,
    staff_id,
    instrument_id,
    coalesce(case_ref, '') as case_ref,
    item_no,
    value,  -- noqa: RF04
    load_id,
    row_no
from staging.calibration_scores_upgrade;

drop table staging.calibration_scores_upgrade;
