-- One row per loaded or failed file (see staging.loads in ddl/staging.sql).
insert into staging.loads (
    load_id, batch_id, source_id, file_name, sha256, started_at, finished_at,
    rows_in, rows_staged, rows_unchanged, rows_quarantined, cpr_masked,
    rows_removed, dependents_quarantined, rows_flagged,
    status, error, warnings, replaced_by
)
values (
    getvariable('load_id'),
    getvariable('batch_id'),
    getvariable('source_id'),
    getvariable('file_name'),
    getvariable('sha256'),
    cast(getvariable('started_at') as timestamp), cast(getvariable('finished_at') as timestamp),
    getvariable('rows_in'),
    getvariable('rows_staged'),
    getvariable('rows_unchanged'),
    getvariable('rows_quarantined'),
    getvariable('cpr_masked'),
    getvariable('rows_removed'),
    getvariable('dependents_quarantined'),
    getvariable('rows_flagged'),
    getvariable('status'), getvariable('error'), cast(getvariable('warnings') as varchar[]), null
)
