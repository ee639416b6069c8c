-- Earlier successful loads of a file: by checksum (the same content, already loaded)
-- or by name (an earlier version: the new file is a corrected re-export).
-- Variables (getvariable): sha256, file_name.
select
    load_id,
    file_name,
    sha256,
    status,
    sha256 = getvariable('sha256') as is_same_content
from staging.loads
where
    status in ('loaded', 'replaced')
    and (
        sha256 = getvariable('sha256')
        or (file_name = getvariable('file_name') and status = 'loaded')
    )
order by started_at
