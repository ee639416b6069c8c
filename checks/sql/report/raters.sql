-- Staff members flagged by rater_drift (field ratings, SD units) or calibration_deviation
-- (workshop scores, points per item) in run $1, with the interval from quality.metrics.

with

failures as (
    select * from quality.failures
    where run_id = $1 and rule_id in ('rater_drift', 'calibration_deviation')
),

metrics as (
    select * from quality.metrics
    where run_id = $1 and metric_id in ('rater_drift', 'calibration_deviation')
),

final as (
    select
        failures.rule_id,
        failures.staff_id,
        failures.team_id,
        failures.instrument_id,
        failures.observed,
        metrics.ci_low,
        metrics.ci_high
    from failures
    left join metrics
        on
            failures.rule_id = metrics.metric_id
            and metrics.group_id = failures.staff_id || '/' || failures.instrument_id
    order by failures.staff_id, failures.rule_id, failures.instrument_id
)

select * from final
