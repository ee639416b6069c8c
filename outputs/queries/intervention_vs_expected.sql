-- Results against the expected course per team and per variant of one intervention
-- (mart_results_vs_expected; hidden cells as hidden). Parameters: $intervention_id.
select
    instrument_id,
    group_kind,
    group_id,
    is_suppressed,
    n_citizens,
    mean_gap,
    ci_low,
    ci_high
from mart_results_vs_expected
where intervention_id = $intervention_id
order by instrument_id, group_kind, group_id
