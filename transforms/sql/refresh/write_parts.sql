-- Write the parts named in refresh_parts_rewrite (refresh/save_parts.sql after a full
-- build, refresh/save_changed_parts.sql after an incremental one) again: delete them
-- from build_state.parts and insert them as they are now (refresh_parts_now).

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
