-- One row per loaded or failed file (see staging.loads in ddl/staging.sql).
insert into staging.loads (
    load_id, batch_id, source_id, file_name, sha256, started_at, finished_at,
    rows_in, rows_staged, rows_unchanged, rows_quarantined, cpr_masked,
    status, error, warnings, replaced_by
)
values (
    $load_id, $batch_id, $source_id, $file_name, $sha256,
    cast($started_at as timestamp), cast($finished_at as timestamp),
    $rows_in, $rows_staged, $rows_unchanged, $rows_quarantined, $cpr_masked,
    $status, $error, cast($warnings as varchar []), null
)
