-- Masked CPR numbers in the item answers of the wide forms of this load
-- (the view _landing_measurement_forms: this load's landing rows).
select
    coalesce(
        sum(list_sum(list_transform(map_values(items), v -> landing.count_cpr(v)))),
        0
    ) as n_cpr
from _landing_measurement_forms
