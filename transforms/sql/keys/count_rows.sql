-- Rows in a table (re-keying compares the counts before and after the replay).
-- Placeholder (double-underscore names): table.
select count(*) as n_rows
from __table__
