-- The registered organisations and whether the quarter's export is in the roll-up.
select
    organisation_id,
    organisation_name,
    status,
    quarter,
    exported_at,
    detail
from national_coverage
order by status = 'included', organisation_id
