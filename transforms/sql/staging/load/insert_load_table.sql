-- The counts of one target table of a loaded file.
insert into staging.load_tables (
    load_id, file_name, sheet, canonical_table,
    rows_in, rows_staged, rows_unchanged, rows_quarantined, cpr_masked
)
values (
    $load_id, $file_name, cast($sheet as varchar), $canonical_table,
    $rows_in, $rows_staged, $rows_unchanged, $rows_quarantined, $cpr_masked
)
