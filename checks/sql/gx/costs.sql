-- Columns of staging.costs for the Great Expectations suite; every k-th row by hash
-- ($1); $2: as-of date, unused here.
select
    intervention_id,
    quarter,
    cost_type,
    amount_dkk,
    hours
from staging.costs
where hash(intervention_id, quarter, cost_type) % $1 = 0 and $2 is not null
