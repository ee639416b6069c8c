-- The headline of run $1: the run row with its overall completeness and timeliness,
-- and whether its errors blocked decks (errors_block of the settings it ran with;
-- runs stored before the setting existed blocked).

with

runs as (
    select * from quality.runs
    where run_id = $1
),

rates as (
    select * from quality.metrics
    where run_id = $1 and group_kind = 'all'
),

final as (
    select
        runs.run_id,
        runs.started_at,
        runs.as_of_date,
        runs.scope_kind,
        runs.scope_id,
        runs.n_errors,
        runs.n_warnings,
        runs.n_blocked_scopes,
        coalesce(
            cast(json_extract(runs.settings_json, '$.errors_block') as boolean), true
        ) as errors_block,
        completeness.value as completeness,
        completeness.target as completeness_target,
        timeliness.value as timeliness,
        timeliness.target as timeliness_target
    from runs
    left join rates as completeness on completeness.metric_id = 'completeness'
    left join rates as timeliness on timeliness.metric_id = 'timeliness'
)

select * from final
