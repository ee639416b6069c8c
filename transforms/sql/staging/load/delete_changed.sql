-- Rows replaced by a changed record of this load. Placeholder: table.
delete from {{ table }}
where rowid in (
    select existing_rowid from _matches
    where not is_same
)
