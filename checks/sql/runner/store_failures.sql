-- Append the run's collected failures (temp table chk_failures) to quality.failures,
-- filling intervention_id and team_id from the course, and the export file and row from
-- the form (chk_forms), where a rule left them empty.
-- Parameter $1: run_id.

insert into quality.failures by name
select
    $1 as run_id,
    failures.rule_id,
    failures.severity,
    failures.table_name,
    coalesce(failures.intervention_id, courses.intervention_id) as intervention_id,
    coalesce(failures.team_id, courses.team_id) as team_id,
    failures.staff_id,
    failures.course_id,
    failures.form_id,
    failures.instrument_id,
    failures.item_no,
    failures.point_id,
    failures.event_date,
    failures.observed,
    failures.reason,
    coalesce(failures.file_name, forms.file_name) as file_name,
    coalesce(failures.row_no, forms.row_no) as row_no
from chk_failures as failures
left join staging.courses as courses on failures.course_id = courses.course_id
left join chk_forms as forms on failures.form_id = forms.form_id
