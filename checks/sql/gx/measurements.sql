-- Columns of staging.measurements for the Great Expectations suite, with
-- days_after_as_of (measured_on minus the as-of date $2); every k-th row by hash ($1).
select
    form_id,
    course_id,
    instrument_id,
    rater_role,
    item_no,
    value,
    date_diff('day', $2::date, measured_on) as days_after_as_of
from staging.measurements
where hash(form_id, item_no) % $1 = 0
