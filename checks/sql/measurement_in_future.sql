-- rule: measurement_in_future
-- table: staging.measurements
-- checked: chk_forms
-- figures: all
-- description: A form is dated after the as-of date of the run (the build's
--   ref.settings.as_of_date): a typing error in the date or a wrong clock.
-- fix: Correct the form's date in the source system.

with

forms as (
    select * from chk_forms
),

params as (
    select * from chk_params
),

final as (
    select
        'measurement_in_future' as rule_id,
        chk_severity('measurement_in_future') as severity,
        'staging.measurements' as table_name,
        forms.intervention_id,
        forms.team_id,
        forms.staff_id,
        forms.course_id,
        forms.form_id,
        forms.instrument_id,
        forms.measured_on as event_date,
        date_diff('day', params.as_of_date, forms.measured_on)::double as observed,
        'form dated ' || strftime(forms.measured_on, '%Y-%m-%d') || ', '
        || date_diff('day', params.as_of_date, forms.measured_on)
        || ' days after the as-of date ' || strftime(params.as_of_date, '%Y-%m-%d') as reason,
        forms.file_name,
        forms.row_no
    from forms
    cross join params
    where forms.measured_on > params.as_of_date
)

select * from final
