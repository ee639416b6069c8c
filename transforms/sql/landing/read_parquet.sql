-- One Parquet export as text: every column cast to varchar (dates written in the
-- source's date format, numbers with its decimal mark, by the select list), the
-- records numbered from 1 in file order. The file's columns are taken by position
-- under the loader's names (CPR-masked, made unique), never as the file names them.
-- Placeholders (double-underscore names): path (a literal); names (the columns'
-- names, in file order); columns (the select list of text expressions).
with

source as (
    select *
    from read_parquet(__path__, file_row_number = true) as parquet_file (__names__)  -- noqa: AL05
),

as_text as (
    select
        __columns__,
        file_row_number + 1 as row_no
    from source
)

select * from as_text
