-- What the removal of an earlier version did to one target table of a re-exported
-- file (its staging.load_tables row was written before the removal ran).
-- Variables (getvariable): load_id, canonical_table, rows_removed,
-- dependents_quarantined, rows_flagged.
update staging.load_tables
set
    rows_removed = getvariable('rows_removed'),
    dependents_quarantined = getvariable('dependents_quarantined'),
    rows_flagged = getvariable('rows_flagged')
where
    load_id = getvariable('load_id')
    and canonical_table = getvariable('canonical_table')
