-- The counts of earlier loads of a file that a re-load replaces (ingest --reload).
-- Variable (getvariable): old_load_ids.
select
    coalesce(sum(rows_in), 0) as rows_in,
    coalesce(sum(rows_staged), 0) as rows_staged,
    coalesce(sum(rows_unchanged), 0) as rows_unchanged,
    coalesce(sum(rows_quarantined), 0) as rows_quarantined
from staging.loads
where list_contains(getvariable('old_load_ids'), load_id)
