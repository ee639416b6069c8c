-- The database's pseudonym key fingerprint and when and from where it was recorded
-- (no row: none recorded yet).
select
    fingerprint,
    recorded_at,
    origin
from main.pseudonym_key
order by recorded_at desc
limit 1
