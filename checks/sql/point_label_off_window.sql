-- rule: point_label_off_window
-- table: int_form_points
-- checked: chk_forms
-- figures: mart_progression_by_point
-- description: A form's point label (the export's column saying which measurement point
--   it was filled in for, mapped by value_codes) names a point whose window its date lies
--   outside: the label and the date disagree. The form counts at the labelled point.
-- fix: Check the form's date and its point label in the source system and correct the one
--   that is wrong; then load the export again.

with

forms as (
    select * from chk_forms
),

points as (
    select * from int_form_points
),

final as (
    select
        'point_label_off_window' as rule_id,
        chk_severity('point_label_off_window') as severity,
        'int_form_points' as table_name,
        forms.intervention_id,
        forms.team_id,
        forms.staff_id,
        forms.course_id,
        forms.form_id,
        forms.instrument_id,
        points.point_id,
        forms.measured_on as event_date,
        points.days_from_due::double as observed,
        'form labelled ' || points.labelled_point_id || ' (due '
        || strftime(points.due_date, '%Y-%m-%d') || ') is dated '
        || strftime(forms.measured_on, '%Y-%m-%d') || ', ' || abs(points.days_from_due)
        || ' days ' || case when points.days_from_due < 0 then 'before' else 'after' end
        || ' it was due' as reason,
        forms.file_name,
        forms.row_no
    from forms
    inner join points on forms.form_id = points.form_id
    where points.is_label_off_window
)

select * from final
