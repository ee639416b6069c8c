-- Unchanged records now belong to the latest load that delivered them (lineage
-- only; the values are the same). Parameters: $load_id, $source_id, $file_name.
-- Placeholder: table.
update {{ table }} as target
set
    load_id = $load_id,
    source_id = $source_id,
    file_name = $file_name,
    row_no = matches.row_no
from _matches as matches
where
    target.rowid = matches.existing_rowid
    and matches.is_same
