-- Columns of staging.courses for the Great Expectations suite, with course_days (end
-- minus start, NULL while open) and start_days_after_as_of; every k-th row by hash ($1).
-- $2: as-of date.
select
    course_id,
    citizen_id,
    intervention_id,
    variant,
    team_id,
    end_reason,
    date_diff('day', start_date, end_date) as course_days,
    date_diff('day', $2::date, start_date) as start_days_after_as_of
from staging.courses
where hash(course_id) % $1 = 0
