-- Measurements of the courses on the agenda that a quality run (the one the deck reads:
-- its gate's) flagged (errors and warnings), so the citizen chart marks the point and
-- names the rule under it.
-- Timing rules (late or early measurement) are left out: the date under every point
-- shows the timing, and the team's timeliness rate is on the caveat slide.
-- Parameters: $course_ids, $run_id.
with

failures as (
    select * from quality.failures
    where run_id = $run_id
),

final as (
    select distinct
        failures.course_id,
        failures.form_id,
        failures.rule_id,
        failures.severity
    from failures
    where
        list_contains($course_ids, failures.course_id)
        and failures.form_id is not null
        and failures.severity in ('error', 'warning')
        and failures.rule_id not in ('late_measurement', 'early_measurement')
)

select * from final
order by course_id, form_id, severity, rule_id
