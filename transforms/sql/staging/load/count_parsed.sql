-- Values of this load's typed rows (_stg) that parsed, one count per column named by
-- the caller (transforms.ingest.diagnose): with the rows that failed (format_failures.sql)
-- they make the column's values that were not empty. Placeholder (double-underscore
-- names): counts (count("column") as "column", ...).
select __counts__
from _stg
