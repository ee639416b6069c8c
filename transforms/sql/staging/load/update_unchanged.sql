-- Unchanged records now belong to the latest load that delivered them (lineage
-- only; the values are the same). Placeholder: table.
update {{ table }} as target
set
    load_id = classified.load_id,
    source_id = classified.source_id,
    file_name = classified.file_name,
    row_no = classified.row_no
from _classified as classified
where
    target.rowid = classified.existing_rowid
    and classified.row_status = 'unchanged'
