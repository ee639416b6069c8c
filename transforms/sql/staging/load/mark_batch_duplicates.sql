-- A later batch of a CSV export (transforms.ingest.load: a file is read and typed in
-- batches of ingest.csv_batch_lines lines, all in one transaction): its clean records
-- whose key a record of an earlier batch of the same load holds in staging get the
-- problem duplicate_key, naming that record, as if the file had been typed whole
-- (the earlier record is the key's first clean one: later ones were quarantined).
-- Runs before the batch's own repeats are marked (staging/load/duplicate_keys.sql).
-- Placeholders (double-underscore names): table (the staging table); key_columns;
-- key_match (_stg's key = earlier's key); key_column (literal: the export column of
-- the first key column); key_text (_stg's first key column as text).
-- Variables (getvariable): load_id.
update _stg
set
    problems = [
        staging.problem('duplicate_key', __key_column__, __key_text__, earlier.row_no)
    ]
from (
    select
        __key_columns__,
        row_no
    from __table__
    where load_id = getvariable('load_id')
) as earlier
where
    _stg.problems is null
    and __key_match__
