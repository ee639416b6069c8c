-- model: int_forms
-- grain: one row per completed form (staging.measurements form_id) whose instrument is
--   in config and whose course is in staging.courses. Forms of unknown instruments or
--   courses are left to the quality checks.
-- incremental: course_id
-- If a form's rows disagree on a header field, the smallest value is taken
--   (int_form_headers).
-- columns:
--   form_id: form id (source's form ref)
--   course_id: course the form belongs to
--   citizen_id: pseudonymised citizen id
--   intervention_id: the course's intervention
--   instrument_id: instrument id from config
--   measured_on: date the form was filled in
--   staff_id: staff member who collected it
--   n_item_rows: item rows the form arrived with
--   rater_role: citizen | staff | parent | teacher (instrument's default rater if blank)
--   is_citizen_rated: true when the citizen rated (rater_role citizen)

with

form_headers as (
    select * from int_form_headers
),

courses as (
    select * from staging.courses
),

instruments as (
    select * from ref.instruments
),

final as (
    select
        form_headers.form_id,
        form_headers.course_id,
        courses.citizen_id,
        courses.intervention_id,
        form_headers.instrument_id,
        form_headers.measured_on,
        form_headers.staff_id,
        form_headers.n_rows as n_item_rows,
        coalesce(form_headers.rater_role, instruments.rater) as rater_role,
        coalesce(form_headers.rater_role, instruments.rater) = 'citizen' as is_citizen_rated
    from form_headers
    inner join courses on form_headers.course_id = courses.course_id
    inner join instruments on form_headers.instrument_id = instruments.instrument_id
)

select * from final
