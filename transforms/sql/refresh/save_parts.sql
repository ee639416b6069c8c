-- Which parts of build_state.parts a full build writes again (refresh_parts_rewrite,
-- then refresh/write_parts.sql): every part added, removed or different in any column
-- from the one stored. The parts equal in every column stay: rewriting all of them
-- (600 000 rows at 100 000 courses) cost 0.5 s and the commit the rewrite. A part's
-- key is (table_name, course_id), one row each. (An incremental build takes the
-- changed parts it already found: refresh/save_changed_parts.sql.)

create or replace temp table refresh_parts_rewrite as
select
    coalesce(now_parts.table_name, was.table_name) as table_name,
    coalesce(now_parts.course_id, was.course_id) as course_id
from refresh_parts_now as now_parts
full outer join build_state.parts as was
    on
        now_parts.table_name = was.table_name
        and now_parts.course_id is not distinct from was.course_id
where
    now_parts.digest is distinct from was.digest
    or now_parts.n_rows is distinct from was.n_rows
    or now_parts.citizen_id is distinct from was.citizen_id;
