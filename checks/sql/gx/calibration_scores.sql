-- Columns of staging.calibration_scores for the Great Expectations suite; every k-th row
-- by hash ($1); $2: as-of date, unused here.
select
    workshop_id,
    staff_id,
    instrument_id,
    item_no,
    value
from staging.calibration_scores
where hash(workshop_id, staff_id, instrument_id, item_no) % $1 = 0 and $2 is not null
