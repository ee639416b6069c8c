-- Completeness and timeliness per team and per intervention across the last 12 runs of
-- the same scope as run $1 (that run and the ones before it), oldest first.

with

runs as (
    select * from quality.runs
),

this_run as (
    select * from runs
    where run_id = $1
),

recent as (
    select
        runs.run_id,
        runs.started_at
    from runs
    inner join this_run
        on
            runs.scope_kind = this_run.scope_kind
            and runs.scope_id is not distinct from this_run.scope_id
            and runs.started_at <= this_run.started_at
    order by runs.started_at desc
    limit 12
),

metrics as (
    select * from quality.metrics
    where
        metric_id in ('completeness', 'timeliness')
        and group_kind in ('team', 'intervention')
),

final as (
    select
        metrics.group_kind as scope_kind,
        metrics.group_id as scope_id,
        metrics.metric_id,
        recent.run_id,
        metrics.value
    from recent
    inner join metrics on recent.run_id = metrics.run_id
    order by
        metrics.group_kind, metrics.group_id, metrics.metric_id, recent.started_at,
        recent.run_id
)

select * from final
