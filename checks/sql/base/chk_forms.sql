-- view: chk_forms
-- materialize: true
-- grain: one row per form (form_id) in the run's scope.
-- Header fields are taken as the smallest value over the form's rows (as int_forms
--   does); rule form_header_conflict lists forms whose rows disagree.
-- columns:
--   form_id, course_id, instrument_id, measured_on, staff_id, rater_role
--   intervention_id, team_id, course_start, course_end: from the course
--   n_rows: item rows; n_answered: rows with a value
--   file_name, row_no: the form's first row in the export

with

measurements as (
    select * from chk_measurements
),

final as (
    select
        form_id,
        min(course_id) as course_id,
        min(instrument_id) as instrument_id,
        min(measured_on) as measured_on,
        min(staff_id) as staff_id,
        min(rater_role) as rater_role,
        min(intervention_id) as intervention_id,
        min(team_id) as team_id,
        min(course_start) as course_start,
        min(course_end) as course_end,
        count(*) as n_rows,
        count(value) as n_answered,
        arg_min(file_name, row_no) as file_name,
        min(row_no) as row_no
    from measurements
    group by form_id
)

select * from final
