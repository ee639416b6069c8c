-- One Parquet export as text: every mapped column cast to varchar (dates written in
-- the source's date format, numbers with its decimal mark, by the select list),
-- records numbered from 1 in file order.
-- Placeholders: path (literal); columns (select list of text expressions).
with

source as (
    select *
    from read_parquet({{ path }}, file_row_number = true)
),

as_text as (
    select
        file_row_number + 1 as row_no,
        {{ columns }}
    from source
)

select * from as_text
