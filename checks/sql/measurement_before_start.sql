-- rule: measurement_before_start
-- table: staging.measurements
-- checked: chk_forms
-- figures: all
-- description: A form is dated before its course started (more than the grace days:
--   before_start_grace_days of the instrument's plan rows, else
--   quality.before_start_grace_days in the config), so it cannot belong to the course as
--   registered.
-- fix: Correct the form's date, or the course's start date, in the source system; when
--   intake forms are filled in a few days before start, set quality.before_start_grace_days.

with

forms as (
    select * from chk_forms
),

params as (
    select * from chk_params
),

-- the grace an instrument's plan rows give (the largest), where they give one
plan_grace as (
    select
        intervention_id,
        instrument_id,
        max(before_start_grace_days) as grace_days
    from ref.measurement_plan
    where before_start_grace_days is not null
    group by intervention_id, instrument_id
),

final as (
    select
        'measurement_before_start' as rule_id,
        chk_severity('measurement_before_start') as severity,
        'staging.measurements' as table_name,
        forms.intervention_id,
        forms.team_id,
        forms.staff_id,
        forms.course_id,
        forms.form_id,
        forms.instrument_id,
        forms.measured_on as event_date,
        date_diff('day', forms.measured_on, forms.course_start)::double as observed,
        'form dated ' || strftime(forms.measured_on, '%Y-%m-%d') || ', '
        || date_diff('day', forms.measured_on, forms.course_start)
        || ' days before the course started (' || strftime(forms.course_start, '%Y-%m-%d')
        || ')' as reason,
        forms.file_name,
        forms.row_no
    from forms
    cross join params
    left join plan_grace
        on
            forms.intervention_id = plan_grace.intervention_id
            and forms.instrument_id = plan_grace.instrument_id
    where
        forms.measured_on
        < forms.course_start
        - coalesce(plan_grace.grace_days, params.before_start_grace_days)::integer
)

select * from final
