-- Masked CPR numbers in the item answers of wide forms landed by this load.
select
    coalesce(
        sum(list_sum(list_transform(map_values(items), v -> landing.count_cpr(v)))),
        0
    ) as n_cpr
from landing.measurement_forms
where load_id = getvariable('load_id')
