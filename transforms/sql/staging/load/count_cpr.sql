-- Masked CPR numbers in the landing rows of this load, one sum per text column
-- (the caller adds them up). Placeholder (double-underscore names): table (the
-- temporary view _landing_<table> of this load's landing rows).
select
    sum(
        landing.count_cpr(
            columns(c -> c not in ('load_id', 'row_no', 'items'))
        )
    )
from __table__
