-- Columns of staging.citizens for the Great Expectations suite (every k-th row by hash:
-- $1 = k, 1 for all rows; $2 = as-of date, unused here).
select
    citizen_id,
    gender,
    birth_year
from staging.citizens
where hash(citizen_id) % $1 = 0 and $2 is not null
