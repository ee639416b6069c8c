-- rule: measurement_after_end
-- table: staging.measurements
-- checked: chk_forms
-- figures: all
-- description: A form is dated after its course ended by more than the longest follow-up
--   of the intervention's plan (latest end-anchored offset_days plus its assignment
--   window, tolerance_days x ref.settings.point_window_factor) or than the
--   after_end_grace_days of the instrument's plan rows (the largest; the larger of the two
--   counts); for an instrument with neither, more than quality.after_end_grace_days.
-- fix: Correct the form's date or the course's end date; a form for a new course of the
--   same citizen belongs to that course. When an instrument's forms are routinely filled in
--   after the end, set after_end_grace_days on its plan rows.

with

forms as (
    select * from chk_forms
),

plan as (
    select * from ref.measurement_plan
),

settings as (
    select * from ref.settings
),

params as (
    select * from chk_params
),

follow_up as (
    select
        plan.intervention_id,
        max(plan.offset_days + plan.tolerance_days * settings.point_window_factor)
            as max_days_after_end
    from plan
    cross join settings
    where plan.anchor = 'end'
    group by plan.intervention_id
),

-- the grace an instrument's plan rows give after the end (the largest), where they give one
plan_grace as (
    select
        intervention_id,
        instrument_id,
        max(after_end_grace_days) as grace_days
    from plan
    where after_end_grace_days is not null
    group by intervention_id, instrument_id
),

limits as (
    select
        forms.*,
        -- greatest() skips NULLs: NULL only when neither gives a limit
        coalesce(
            greatest(follow_up.max_days_after_end, plan_grace.grace_days),
            params.after_end_grace_days
        )::integer as allowed_days
    from forms
    cross join params
    left join follow_up on forms.intervention_id = follow_up.intervention_id
    left join plan_grace
        on
            forms.intervention_id = plan_grace.intervention_id
            and forms.instrument_id = plan_grace.instrument_id
    where forms.course_end is not null
),

final as (
    select
        'measurement_after_end' as rule_id,
        chk_severity('measurement_after_end') as severity,
        'staging.measurements' as table_name,
        intervention_id,
        team_id,
        staff_id,
        course_id,
        form_id,
        instrument_id,
        measured_on as event_date,
        date_diff('day', course_end, measured_on)::double as observed,
        'form dated ' || strftime(measured_on, '%Y-%m-%d') || ', '
        || date_diff('day', course_end, measured_on) || ' days after the course ended ('
        || strftime(course_end, '%Y-%m-%d') || '); the plan allows ' || allowed_days
        || ' days' as reason,
        file_name,
        row_no
    from limits
    where measured_on > course_end + allowed_days
)

select * from final
