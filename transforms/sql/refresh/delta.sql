-- What changed since the last build (build_state.parts) and which courses an
-- incremental build redoes.
--
-- refresh_changed_parts: every (table, course) part added, removed or changed.
-- refresh_delta: the courses to redo: every course with a changed part and every
--   course a new as-of date may move (refresh_as_of_courses: refresh/as_of_delta.sql),
--   widened to all courses of the same citizens (a citizen's courses see each other:
--   repeat courses) and all courses that share a form with one of them (a form id under two
--   courses is read together), as they are now and as they were (a course moved to
--   another citizen changes both citizens' courses).

create or replace temp table refresh_changed_parts as
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
    or now_parts.n_rows is distinct from was.n_rows;

create or replace temp table refresh_delta as

with

changed_courses as (
    select distinct course_id
    from refresh_changed_parts
    where course_id is not null
    union
    select course_id from refresh_as_of_courses
),

course_citizens as (
    select distinct
        course_id,
        citizen_id
    from refresh_parts_now
    where course_id is not null and citizen_id is not null
    union
    select distinct
        course_id,
        citizen_id
    from build_state.parts
    where course_id is not null and citizen_id is not null
),

touched_citizens as (
    select distinct cc.citizen_id
    from course_citizens as cc
    inner join changed_courses as c on cc.course_id = c.course_id
),

citizen_courses as (
    select course_id from changed_courses
    union
    select cc.course_id
    from course_citizens as cc
    inner join touched_citizens as t on cc.citizen_id = t.citizen_id
),

touched_forms as (
    select distinct m.form_id
    from staging.measurements as m
    inner join citizen_courses as c on m.course_id = c.course_id
)

select course_id from citizen_courses
union
select distinct m.course_id
from staging.measurements as m
inner join touched_forms as f on m.form_id = f.form_id
where m.course_id is not null;
