-- The loads a re-keying replays, in the order they were loaded: every load that wrote
-- rows (loaded, or replaced later by a corrected re-export). Failed loads wrote none.
select
    load_id,
    source_id,
    file_name,
    sha256,
    status,
    rows_in
from staging.loads
where status <> 'failed'
order by started_at, load_id
