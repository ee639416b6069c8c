-- Whether any load wrote rows (and so may have written pseudonyms): a failed load
-- writes only its staging.loads row.
select count(*) > 0 as holds_pseudonyms
from staging.loads
where status <> 'failed'
