-- Unit costs per intervention, quarter, unit and outcome instrument, up to $period, with
-- the 95 % interval of the costs per result.
-- Parameters: $period.
select
    intervention_id,
    quarter,
    metric,
    metric_order,
    instrument_id,
    is_headline_instrument,
    is_suppressed,
    suppression_reason,
    total_cost_dkk,
    n_units,
    n_citizens,
    n_base,
    cost_per_unit_dkk,
    ci_low_dkk,
    ci_high_dkk
from mart_costs_per_unit
where quarter <= $period
order by intervention_id, quarter, metric_order, instrument_id
