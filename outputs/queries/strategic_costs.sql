-- Cost by kind per intervention for the quarters up to $period (all quarters: the
-- finance workbook shows them all; the deck uses the period).
-- The columns are those of mart_costs_by_quarter, in its order (the workbook's costs
-- sheet shows every column returned), without the quarter's dates and the hiding
-- bookkeeping (suppression_group, dominance_share_limit).
-- Parameters: $period.
select * exclude (quarter_start, quarter_end, suppression_group, dominance_share_limit)
from mart_costs_by_quarter
where quarter <= $period
order by intervention_id, quarter
