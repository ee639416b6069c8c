-- Masked CPR numbers in the landing rows of this load, one sum per text column
-- (the caller adds them up). Placeholder (double-underscore names): table (the
-- temporary table _landing_<table> holding this load's landing rows).
select
    sum(
        landing.count_cpr(
            columns(
                c -> c not in (
                    'load_id', 'source_id', 'file_name', 'sheet', 'sha256', 'row_no', 'loaded_at',
                    'items'
                )
            )
        )
    )
from __table__
