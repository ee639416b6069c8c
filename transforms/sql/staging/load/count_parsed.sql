-- Values of this load's typed rows (_stg) that parsed, one count per column named by
-- the caller (transforms.ingest.diagnose): with those that failed (format_failures.sql)
-- they make the column's values that were not empty. Per record (count(distinct
-- row_no) filter (where "column" is not null): a wide form's date is on each of its
-- cells), per cell for the answers (count("value")). Placeholder (double-underscore
-- names): counts (the count expressions, each named by its column).
select __counts__
from _stg
