-- The headline outcome instrument of each intervention (the one its "cost per citizen
-- reliably improved" is shown for). No parameters.
select distinct
    intervention_id,
    instrument_id
from mart_costs_per_unit
where metric = 'cost_per_citizen_improved' and is_headline_instrument
order by intervention_id
