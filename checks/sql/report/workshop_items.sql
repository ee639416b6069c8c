-- Calibration items whose agreement (Krippendorff's alpha) is below the threshold in run
-- $1: the items for the next calibration workshop, lowest first.

select
    split_part(group_id, '#', 1) as instrument_id,
    split_part(group_id, '#', 2)::integer as item_no,
    value as alpha,
    target
from quality.metrics
where
    run_id = $1
    and metric_id = 'calibration_alpha'
    and group_kind = 'item'
    and is_below_target
order by value, instrument_id, item_no
