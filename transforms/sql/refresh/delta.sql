-- What changed since the last build (build_state.parts) and which courses an
-- incremental build redoes.
--
-- refresh_changed_parts: every (table, course) part added, removed or changed.
-- refresh_delta: the courses to redo: every course with a changed part and every
--   course a new as-of date may move (refresh_as_of_courses: refresh/as_of_delta.sql),
--   widened to all courses of the same citizens (a citizen's courses see each other:
--   repeat courses) as they are now and as they were (a course moved to another
--   citizen changes both citizens' courses), and then to every course that holds, or
--   held at the last build, a form one of those courses holds or held (a form whose
--   rows name two courses is read as one, under the smaller course id).
-- refresh_touched_forms, refresh_form_courses_now: those forms, and the courses each
--   of them is under now (refresh/save_shared_forms.sql keeps build_state.shared_forms
--   up to date from them).
--
-- Which courses a form was under at the last build: build_state.shared_forms for a
-- form under two or more, else the one course int_form_headers names (that model is
-- as the last build left it until this build redoes it). A course outside the courses
-- to redo changed nothing, so it holds the same forms now as then: only the redone
-- courses' rows are read from staging (the whole measurement table is not scanned a
-- second time: 0.7 s at 100 000 courses).

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

create or replace temp table refresh_delta_citizens as

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
)

select course_id from changed_courses
union
select cc.course_id
from course_citizens as cc
inner join touched_citizens as t on cc.citizen_id = t.citizen_id;

create or replace temp table refresh_forms_now as
select distinct
    m.form_id,
    m.course_id
from staging.measurements as m
inner join refresh_delta_citizens as d on m.course_id = d.course_id
where m.form_id is not null;

create or replace temp table refresh_touched_forms as
select form_id from refresh_forms_now
union
select h.form_id
from int_form_headers as h
inner join refresh_delta_citizens as d on h.course_id = d.course_id
union
select s.form_id
from build_state.shared_forms as s
inner join refresh_delta_citizens as d on s.course_id = d.course_id;

create or replace temp table refresh_forms_then as
select
    s.form_id,
    s.course_id
from build_state.shared_forms as s
inner join refresh_touched_forms as t on s.form_id = t.form_id
union
select
    h.form_id,
    h.course_id
from int_form_headers as h
inner join refresh_touched_forms as t on h.form_id = t.form_id
where h.course_id is not null;

create or replace temp table refresh_form_courses_now as
select
    form_id,
    course_id
from refresh_forms_now
union
select
    t.form_id,
    t.course_id
from refresh_forms_then as t
where t.course_id not in (select d.course_id from refresh_delta_citizens as d);

create or replace temp table refresh_delta as
select course_id from refresh_delta_citizens
union
select course_id from refresh_forms_then;
