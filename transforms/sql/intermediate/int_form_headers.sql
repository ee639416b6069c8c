-- model: int_form_headers
-- grain: one row per form (staging.measurements form_id), every form staged: also those
--   of unknown courses or instruments, which the quality checks are there to find.
--   int_forms keeps those of known courses and instruments; the checks' chk_forms
--   (checks/sql/base) reads them all, so a check run does not group every item answer
--   again.
-- incremental: course_id
-- Header fields are the smallest value over the form's rows.
-- columns:
--   form_id: form id (source's form ref)
--   course_id: course the form belongs to (NULL when its rows name none)
--   instrument_id: instrument id as staged
--   measured_on: date the form was filled in
--   staff_id: staff member who collected it
--   rater_role: rater as staged (NULL when blank)
--   intervention_id: the course's intervention (NULL when the course is not staged)
--   team_id: the course's team (NULL when the course is not staged)
--   course_start: the course's start date
--   course_end: the course's end date (NULL while open)
--   n_rows: item rows the form arrived with
--   n_answered: item rows with an answer
--   min_value: smallest answer
--   max_value: largest answer
--   is_header_conflict: true when the form's rows disagree on course, instrument, date,
--     staff member or rater
--   load_id: the load of the form's first row (lowest record number; a correction
--     export may restage some of a form's rows, so they can come from several loads)
--   row_no: record number of that row

with

measurements as (
    select * from staging.measurements
),

courses as (
    select * from staging.courses
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
        per_form.load_id,
        per_form.row_no
    from per_form
    left join courses on per_form.course_id = courses.course_id
)

select * from final
