-- Record the staging data's parts after an incremental build: only the parts that
-- refresh/delta.sql found changed (refresh_changed_parts: added, removed or with
-- another digest) are deleted and written again, with every part of a course whose
-- row in staging.courses changed (a part's citizen_id comes from that row). Comparing
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

delete from build_state.parts as was
where exists (
    select 1 from refresh_parts_rewrite as rewrite
    where
        rewrite.table_name = was.table_name
        and rewrite.course_id is not distinct from was.course_id
);

insert into build_state.parts (table_name, course_id, citizen_id, digest, n_rows)
select
    now_parts.table_name,
    now_parts.course_id,
    now_parts.citizen_id,
    now_parts.digest,
    now_parts.n_rows
from refresh_parts_now as now_parts
where exists (
    select 1 from refresh_parts_rewrite as rewrite
    where
        rewrite.table_name = now_parts.table_name
        and rewrite.course_id is not distinct from now_parts.course_id
);

drop table refresh_parts_rewrite;
