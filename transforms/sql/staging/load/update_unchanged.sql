-- Unchanged records now belong to the latest load that delivered them (lineage
-- only; the values are the same). Variable (getvariable): load_id. Placeholder
-- (double-underscore names): table.
update __table__ as staged
set
    load_id = getvariable('load_id'),
    row_no = matches.row_no
from _matches as matches
where
    staged.rowid = matches.existing_rowid
    and matches.is_same
