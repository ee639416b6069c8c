-- build_state.shared_forms measured afresh (a full build): every form whose
-- measurement rows name two or more courses, with each of its courses. An export's
-- mistake, and rare; refresh/delta.sql reads it to redo every course of such a form.

delete from build_state.shared_forms;

insert into build_state.shared_forms (form_id, course_id)
select distinct
    m.form_id,
    m.course_id
from staging.measurements as m
where
    m.form_id in (
        select per_form.form_id
        from staging.measurements as per_form
        where per_form.course_id is not null
        group by per_form.form_id
        having min(per_form.course_id) <> max(per_form.course_id)
    )
    and m.course_id is not null;
