-- Records of the earlier versions of a re-exported file still in a staging table
-- after this load took over what it holds again (unchanged rows took the new
-- lineage, changed rows were replaced): the records the re-export no longer has.
-- A record is a row_no of a load (a wide form has a row per item).
-- Variable (getvariable): old_load_ids. Placeholder (double-underscore names): table.
with

left_behind as (
    select distinct
        load_id,
        row_no
    from __table__
    where list_contains(getvariable('old_load_ids'), load_id)
)

select count(*) as n_records from left_behind
