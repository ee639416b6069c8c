-- Rows replaced by a changed record of this load. Placeholder (double-underscore names): table.
delete from __table__
where rowid in (
    select existing_rowid from _matches
    where not is_same
)
