-- Every staged row a clean record of this load meets (_matches): changed rows are
-- replaced by the record, and unchanged ones too, so they take this load's lineage
-- (they now belong to the latest load that delivered them; their values are the
-- same). Written again rather than updated in place: DuckDB keeps an update inside
-- the file's transaction in memory, and the lineage update of every record of a
-- full-history export (4 M lines) ran out of its memory limit, where deleted rows
-- cost a mark each and inserted ones go to disk. Placeholder (double-underscore
-- names): table.
delete from __table__
where rowid in (
    select existing_rowid from _matches
)
