-- view: chk_forms
-- materialize: true
-- grain: one row per form (form_id) in the run's scope, with its course's dates.
-- Header fields are taken as the smallest value over the form's rows (as int_forms
--   does); is_header_conflict flags a form whose rows disagree on any of them (one hash
--   per row; rule form_header_conflict finds which fields).
-- columns:
--   form_id, course_id, instrument_id, measured_on, staff_id, rater_role
--   intervention_id, team_id, course_start, course_end: from the course (NULL when the
--     course is not staged)
--   n_rows: item rows; n_answered: rows with a value
--   min_value, max_value: smallest and largest answer (rule straight_lined)
--   is_header_conflict: the form's rows disagree on course, instrument, date, staff
--     member or rater
--   file_name, row_no: the form's first row (lowest record number) and the export it
--     came in (the rows of a form restaged by a correction export name that export)

with

measurements as (
    select * from chk_measurements
),

courses as (
    select * from staging.courses
),

loads as (
    select
        load_id,
        file_name
    from staging.loads
),

per_form as (
    select
        form_id,
        min(course_id) as course_id,
        min(instrument_id) as instrument_id,
        min(measured_on) as measured_on,
        min(staff_id) as staff_id,
        min(rater_role) as rater_role,
        count(*) as n_rows,
        count(value) as n_answered,
        min(value) as min_value,
        max(value) as max_value,
        min(hash(course_id, instrument_id, measured_on, staff_id, rater_role))
        <> max(hash(course_id, instrument_id, measured_on, staff_id, rater_role))
            as is_header_conflict,
        -- the first row's load and row number as one pair: a correction export may
        -- restage some of a form's rows, so its rows can come from several loads
        arg_min(load_id, (row_no, load_id)) as load_id,
        min(row_no) as row_no
    from measurements
    group by form_id
),

final as (
    select
        per_form.form_id,
        per_form.course_id,
        per_form.instrument_id,
        per_form.measured_on,
        per_form.staff_id,
        per_form.rater_role,
        courses.intervention_id,
        courses.team_id,
        courses.start_date as course_start,
        courses.end_date as course_end,
        per_form.n_rows,
        per_form.n_answered,
        per_form.min_value,
        per_form.max_value,
        per_form.is_header_conflict,
        loads.file_name,
        per_form.row_no
    from per_form
    left join courses on per_form.course_id = courses.course_id
    left join loads on per_form.load_id = loads.load_id
)

select * from final
