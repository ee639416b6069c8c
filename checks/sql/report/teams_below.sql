-- Teams whose completeness or timeliness misses its target in run $1 (groups with at
-- least rate_min_due due points; see checks/sql/base/chk_point_rates.sql).

select
    group_id as team_id,
    metric_id,
    value,
    target,
    numerator,
    denominator
from quality.metrics
where
    run_id = $1
    and group_kind = 'team'
    and metric_id in ('completeness', 'timeliness')
    and is_below_target
order by metric_id, value, group_id
