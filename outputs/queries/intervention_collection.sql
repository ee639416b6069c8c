-- Measurement collection per instrument for points due in the period: share collected
-- of those due, share on time of those collected, and the number overdue.
-- Parameters: $intervention_id, $period_start, $period_end.
select
    instrument_id,
    count(*) filter (where is_due) as n_due,
    count(*) filter (where is_due and is_collected) as n_collected,
    count(*) filter (where is_collected and is_on_time) as n_on_time,
    count(*) filter (where status = 'overdue') as n_overdue
from mart_citizen_measurement_status
where
    intervention_id = $intervention_id
    and due_date between $period_start and $period_end
group by instrument_id
order by instrument_id
