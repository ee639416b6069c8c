-- Give every clean record of this load whose key a row of another source holds its
-- problem, key_of_other_source: refs are unique across the sources of one database
-- (docs/canonical.md), so two systems delivering the same goal, form or course ref
-- are two things under one name, and the later load would take over the earlier
-- one's row. The row stays as it is; the record waits in the quarantine with the
-- source, file and row that hold the key (detail). Reads _matches (match_keyed.sql).
-- Placeholders (double-underscore names): key_column (a literal: the mapping column
-- named in the quarantine), key_text (an expression over _stg: the first key column
-- as text). Variables (getvariable): source_id (this load's source), takes_over (the
-- sources it may replace rows of: sources.yaml takes_over).
update _stg
set
    problems = [
        staging.problem('key_of_other_source', __key_column__, __key_text__, held.detail)
    ]
from (
    select
        matches.row_no,
        matches.cell_item_no,
        loads.source_id
        || ', '
        || loads.file_name
        || ' row '
        || cast(matches.existing_row_no as varchar) as detail
    from _matches as matches
    inner join staging.loads as loads
        on matches.existing_load_id = loads.load_id
    where
        loads.source_id is distinct from getvariable('source_id')
        and not list_contains(cast(getvariable('takes_over') as varchar[]), loads.source_id)
) as held
where
    _stg.row_no = held.row_no
    and _stg.cell_item_no is not distinct from held.cell_item_no
