-- Shares reliably improved / recovered for the last two quarters up to the period end,
-- with their result counts (the deck hides a share whose count is 1 to k - 1).
-- Parameters: $intervention_id, $instrument_id, $period_end_quarter.
select
    period,
    is_suppressed,
    n_citizens,
    n_courses,
    n_improved,
    n_recovered,
    share_improved,
    share_recovered
from mart_reliable_change_by_quarter
where
    intervention_id = $intervention_id
    and instrument_id = $instrument_id
    and period <= $period_end_quarter
order by period desc
limit 2
