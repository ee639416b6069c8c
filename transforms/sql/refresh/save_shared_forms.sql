-- Keep build_state.shared_forms (every form whose measurement rows name two or more
-- courses, with each of its courses) up to date after an incremental build: the
-- forms refresh/delta.sql found touched are written again from where they are now
-- (refresh_form_courses_now); no other form's courses changed.

delete from build_state.shared_forms
where form_id in (select form_id from refresh_touched_forms);

insert into build_state.shared_forms (form_id, course_id)
select
    now_courses.form_id,
    now_courses.course_id
from refresh_form_courses_now as now_courses
where now_courses.form_id in (
    select per_form.form_id
    from refresh_form_courses_now as per_form
    group by per_form.form_id
    having count(distinct per_form.course_id) > 1
);
