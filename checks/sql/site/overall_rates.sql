-- Completeness and timeliness over everything in run $1 (the organisation's badge).

with

metrics as (
    select * from quality.metrics
    where
        run_id = $1
        and group_kind = 'all'
        and metric_id in ('completeness', 'timeliness')
),

final as (
    select
        'organisation' as scope_kind,
        'all' as scope_id,
        metric_id,
        value,
        target,
        numerator,
        denominator,
        is_below_target
    from metrics
)

select * from final
