-- Collection rates per intervention that miss their target in a run.
-- Parameters: $run_id.
select
    metric_id,
    group_id,
    value,
    target
from quality.metrics
where
    run_id = $run_id
    and group_kind = 'intervention'
    and metric_id in ('completeness', 'timeliness')
    and is_below_target
order by metric_id, group_id
