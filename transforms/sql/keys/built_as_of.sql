-- The date the last build judged statuses on (ref.settings has one row after a build).
select max(as_of_date) as as_of_date
from ref.settings
