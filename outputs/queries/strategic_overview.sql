-- Results and costs per intervention, quarter and measure, for the quarters from
-- $first_quarter to $period (YYYY-Qn; text order is time order).
-- Parameters: $first_quarter, $period.
select
    intervention_id,
    quarter,
    measure,
    measure_order,
    kind,
    instrument_id,
    is_suppressed,
    suppression_reason,
    n_citizens,
    n_units,
    measure_value,
    ci_low,
    ci_high
from mart_strategic_overview
where quarter between $first_quarter and $period
order by intervention_id, quarter, measure_order
