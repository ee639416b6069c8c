-- Results against the expected course per group (team or variant) of one instrument.
select
    group_kind,
    group_id,
    is_suppressed,
    n_citizens,
    mean_gap,
    ci_low,
    ci_high
from mart_results_vs_expected
where intervention_id = $intervention_id and instrument_id = $instrument_id
order by group_kind, group_id
