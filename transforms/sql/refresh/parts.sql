-- The staging data the models read, cut into parts: one row per table and course
-- (course_id NULL for rows of no course), with a sum of row hashes and a row count.
-- Lineage columns (load_id, row_no) are left out: an unchanged record that a newer
-- export carries again moves its lineage but is the same record. A citizen's row
-- belongs to each of the citizen's courses, a goal rating to its goal's course; the
-- quarantined agreement rows are one part.
-- Compared with build_state.parts by transforms/refresh.py.

create or replace temp table refresh_parts_now as

with

course_citizens as (
    select distinct
        course_id,
        citizen_id
    from staging.courses
),

goal_courses as (
    select distinct
        goal_id,
        course_id
    from staging.goals
),

hashed_rows as (
    select
        'courses' as table_name,
        r.course_id,
        hash(r) as row_hash  -- noqa: RF02
    from (select columns(* exclude (load_id, row_no)) from staging.courses) as r
    union all
    select
        'citizens' as table_name,
        cc.course_id,
        hash(r) as row_hash  -- noqa: RF02
    from (select columns(* exclude (load_id, row_no)) from staging.citizens) as r
    inner join course_citizens as cc on r.citizen_id = cc.citizen_id
    union all
    select
        'measurements' as table_name,
        r.course_id,
        hash(r) as row_hash  -- noqa: RF02
    from (select columns(* exclude (load_id, row_no)) from staging.measurements) as r
    union all
    select
        'activities' as table_name,
        r.course_id,
        hash(r) as row_hash  -- noqa: RF02
    from (select columns(* exclude (load_id, row_no)) from staging.activities) as r
    union all
    select
        'goals' as table_name,
        r.course_id,
        hash(r) as row_hash  -- noqa: RF02
    from (select columns(* exclude (load_id, row_no)) from staging.goals) as r
    union all
    select
        'goal_ratings' as table_name,
        gc.course_id,
        hash(r) as row_hash  -- noqa: RF02
    from (select columns(* exclude (load_id, row_no)) from staging.goal_ratings) as r
    left join goal_courses as gc on r.goal_id = gc.goal_id
    union all
    select
        'agreements' as table_name,
        r.course_id,
        hash(r) as row_hash  -- noqa: RF02
    from staging.agreements as r
    union all
    -- refused agreement rows (mart_refused_agreements); the export's quarantine is
    -- read by no model
    select
        'quarantine' as table_name,
        null as course_id,
        hash(r) as row_hash  -- noqa: RF02
    from (
        select columns(* exclude (quarantined_at)) from staging.quarantine
        where canonical_table = 'agreements'
    ) as r
    union all
    select
        'costs' as table_name,
        null as course_id,
        hash(r) as row_hash  -- noqa: RF02
    from (select columns(* exclude (load_id, row_no)) from staging.costs) as r
)

select
    h.table_name,
    h.course_id,
    any_value(cc.citizen_id) as citizen_id,
    sum(h.row_hash)::hugeint as digest,
    count(*) as n_rows
from hashed_rows as h
left join course_citizens as cc on h.course_id = cc.course_id
group by h.table_name, h.course_id;
