-- Rows replaced by a changed record of this load. Placeholder: table.
delete from {{ table }}
where rowid in (
    select existing_rowid from _classified
    where row_status = 'changed'
)
