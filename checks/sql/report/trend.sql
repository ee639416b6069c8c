-- Each metric's value across the last 12 runs of the same scope as run $1 (that run and
-- the ones before it), oldest first: the overall rates, rates per team, calibration
-- alpha per instrument, and the failure rate of every rule (from quality.results, as
-- metric_id 'rule:<rule_id>'). Parameter $1: run_id.

with

runs as (
    select * from quality.runs
),

this_run as (
    select * from runs
    where run_id = $1
),

recent as (
    select runs.run_id, runs.started_at
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
    select
        metrics.run_id,
        metrics.metric_id,
        metrics.group_kind,
        metrics.group_id,
        metrics.value,
        metrics.target
    from quality.metrics as metrics
    where
        (metrics.metric_id in ('completeness', 'timeliness')
            and metrics.group_kind in ('all', 'team'))
        or (metrics.metric_id = 'calibration_alpha' and metrics.group_kind = 'instrument')
),

rule_rates as (
    select
        run_id,
        'rule:' || rule_id as metric_id,
        'all' as group_kind,
        'all' as group_id,
        sum(n_failed) / nullif(sum(n_checked), 0) as value,
        null::double as target
    from quality.results
    group by run_id, rule_id
),

final as (
    select
        recent.run_id,
        recent.started_at,
        unioned.metric_id,
        unioned.group_kind,
        unioned.group_id,
        unioned.value,
        unioned.target
    from recent
    inner join (
        select * from metrics
        union all
        select * from rule_rates
    ) as unioned on recent.run_id = unioned.run_id
    order by unioned.metric_id, unioned.group_kind, unioned.group_id, recent.started_at
)

select * from final
