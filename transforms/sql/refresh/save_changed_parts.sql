-- Which parts of build_state.parts an incremental build writes again
-- (refresh_parts_rewrite, then refresh/write_parts.sql): the parts refresh/delta.sql
-- found changed (refresh_changed_parts: added, removed or with another digest), and
-- every part of a course whose row in staging.courses changed (a part's citizen_id
-- comes from that row). Comparing
-- all 600 000 parts again, as refresh/save_parts.sql does after a full build, cost
-- 0.4-0.6 s at 100 000 courses.

create or replace temp table refresh_parts_rewrite as
with

recited_courses as (
    select changed.course_id
    from refresh_changed_parts as changed
    where changed.table_name = 'courses'
)

select
    changed.table_name,
    changed.course_id
from refresh_changed_parts as changed
union
select
    now_parts.table_name,
    now_parts.course_id
from refresh_parts_now as now_parts
where now_parts.course_id in (select recited.course_id from recited_courses as recited)
union
select
    was.table_name,
    was.course_id
from build_state.parts as was
where was.course_id in (select recited.course_id from recited_courses as recited);
