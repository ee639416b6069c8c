-- A landing table of the layout before 2026-11 (a column per field, the load's
-- lineage on every row) rewritten to the current one: the fields as one JSON array
-- in their column order (which is the order of the view landing.<table>_fields),
-- load_id and row_no; the rest of the lineage is in staging.loads already.
-- Placeholders (double-underscore names): table, new_table (landing.<name>,
-- landing.<name>_upgrade), fields (the field columns), columns (kept as they are:
-- items when the table has it, load_id, row_no).
create table __new_table__ as
select
    to_json([__fields__]) as fields,  -- noqa: RF02, RF04
    __columns__
from __table__;

drop table __table__;

alter table __new_table__ rename to __name__;
