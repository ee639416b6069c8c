-- Records of the earlier versions of a re-exported file that another file still holds
-- as they were: the same record, as received (the landing's fields, and a wide form's
-- items), in a load of the same source that is still current. Such a record is no
-- longer the re-export's to remove: its staged rows go back to the lineage of the most
-- recent of those loads instead (an unchanged record took the later file's lineage when
-- that file delivered it again). One row per record left behind: its load and row_no,
-- and the load and row_no that hold it now.
-- Variables (getvariable): old_load_ids, load_id.
-- Placeholders (double-underscore names): table (staging table), landing (one of its
-- landing tables, aliased landing), items (landing.items for the wide forms' landing,
-- else null).
with

left_behind as (
    select distinct
        load_id,
        row_no
    from __table__
    where list_contains(getvariable('old_load_ids'), load_id)
),

sources as (
    select distinct source_id
    from staging.loads
    where list_contains(getvariable('old_load_ids'), load_id)
),

current_loads as (
    select
        load_id,
        started_at
    from staging.loads
    where
        status = 'loaded'
        and load_id != getvariable('load_id')
        and not list_contains(getvariable('old_load_ids'), load_id)
        and source_id in (select sources.source_id from sources)
),

old_records as (
    select
        landing.load_id,
        landing.row_no,
        landing.fields,
        __items__ as items  -- noqa: RF02
    from __landing__ as landing
    inner join left_behind
        on landing.load_id = left_behind.load_id and landing.row_no = left_behind.row_no
),

held as (
    select
        old_records.load_id as old_load_id,
        old_records.row_no as old_row_no,
        landing.load_id,
        landing.row_no,
        row_number() over (
            partition by old_records.load_id, old_records.row_no
            order by current_loads.started_at desc, landing.row_no asc
        ) as nth
    from __landing__ as landing
    inner join current_loads on landing.load_id = current_loads.load_id
    inner join old_records
        on
            landing.fields = old_records.fields
            and __items__ is not distinct from old_records.items  -- noqa: RF02
),

final as (
    select
        old_load_id,
        old_row_no,
        load_id,
        row_no
    from held
    where nth = 1
)

select * from final
