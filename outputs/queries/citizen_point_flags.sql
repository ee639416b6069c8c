-- Measurements of the courses on the agenda that the latest quality run flagged (errors
-- and warnings), so the citizen chart marks the point and names the rule under it.
-- Timing rules (late or early measurement) are left out: the date under every point
-- shows the timing, and the team's timeliness rate is on the caveat slide.
-- Parameters: $course_ids.
with

latest_run as (
    select run_id from quality.runs
    order by started_at desc, run_id desc
    limit 1
),

failures as (
    select * from quality.failures
),

final as (
    select distinct
        failures.course_id,
        failures.form_id,
        failures.rule_id,
        failures.severity
    from failures
    inner join latest_run on failures.run_id = latest_run.run_id
    where
        list_contains($course_ids, failures.course_id)
        and failures.form_id is not null
        and failures.severity in ('error', 'warning')
        and failures.rule_id not in ('late_measurement', 'early_measurement')
)

select * from final
order by course_id, form_id, severity, rule_id
