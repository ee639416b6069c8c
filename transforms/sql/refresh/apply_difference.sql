-- Bring the stored rows of the changed courses (refresh_delta) in a model's table
-- (__relation__) to the rows just computed for them (__delta__, a temporary table of
-- the same columns), writing only the rows that differ: a course is redone because
-- some of its data or the date moved, but most of its rows come out as they were,
-- and a row deleted and written again costs the commit a rewrite (DuckDB's vacuum
-- folds the row groups that deletes thin out) for nothing.
--
-- Rows are compared by a hash over every column (__columns__; equal 64-bit hashes are
-- taken for equal rows, as build_state.parts does) and as a multiset: a hash that
-- the old and the new rows hold equally often keeps its stored rows; the stored rows
-- of any other hash are deleted and its new rows inserted.

create or replace temp table refresh_rows_was as
select
    rowid as row_ref,
    hash(__columns__) as row_hash
from __relation__
where course_id in (select course_id from refresh_delta);  -- noqa: RF02

create or replace temp table refresh_rows_now as
select
    rowid as row_ref,
    hash(__columns__) as row_hash
from __delta__;

create or replace temp table refresh_rows_same as
with

was_counts as (
    select
        row_hash,
        count(*) as n_rows
    from refresh_rows_was
    group by row_hash
),

now_counts as (
    select
        row_hash,
        count(*) as n_rows
    from refresh_rows_now
    group by row_hash
)

select was_counts.row_hash
from was_counts
inner join now_counts
    on was_counts.row_hash = now_counts.row_hash and was_counts.n_rows = now_counts.n_rows;

delete from __relation__
where rowid in (
    select was.row_ref
    from refresh_rows_was as was
    anti join refresh_rows_same as same on was.row_hash = same.row_hash
);

insert into __relation__ by name
select __columns__
from __delta__
where rowid in (
    select now_rows.row_ref
    from refresh_rows_now as now_rows
    anti join refresh_rows_same as same on now_rows.row_hash = same.row_hash
);
