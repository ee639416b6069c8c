-- Completeness and timeliness per team and per intervention in run $1, with their
-- targets and counts (the numbers the site's quality page and the deck badges show).

with

metrics as (
    select * from quality.metrics
    where
        run_id = $1
        and group_kind in ('team', 'intervention')
        and metric_id in ('completeness', 'timeliness')
),

final as (
    select
        group_kind as scope_kind,
        group_id as scope_id,
        metric_id,
        value,
        target,
        numerator,
        denominator,
        is_below_target
    from metrics
    order by scope_kind, scope_id, metric_id
)

select * from final
