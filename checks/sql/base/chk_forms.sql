-- view: chk_forms
-- grain: one row per form (form_id) in the run's scope, with its course's dates: the
--   build's int_form_headers (kept up to date there) with the export's file name.
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

forms as (
    select * from int_form_headers
),

loads as (
    select
        load_id,
        file_name
    from staging.loads
),

final as (
    select
        forms.* exclude (load_id, row_no),
        loads.file_name,
        forms.row_no
    from forms
    left join loads on forms.load_id = loads.load_id
    where chk_in_scope(forms.intervention_id, forms.team_id)
)

select * from final
