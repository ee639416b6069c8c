-- The counts of one target table of a loaded file.
insert into staging.load_tables (
    load_id, file_name, sheet, canonical_table, landing_table,
    rows_in, rows_staged, rows_unchanged, rows_quarantined, cpr_masked
)
values (
    getvariable('load_id'),
    getvariable('file_name'),
    cast(getvariable('sheet') as varchar),
    getvariable('canonical_table'),
    getvariable('landing_table'),
    getvariable('rows_in'),
    getvariable('rows_staged'),
    getvariable('rows_unchanged'),
    getvariable('rows_quarantined'),
    getvariable('cpr_masked')
)
