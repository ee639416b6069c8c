-- Masked CPR numbers in the landed records of this load, one sum per text column
-- (the caller adds them up). Placeholder (double-underscore names): table (landing table).
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
where load_id = getvariable('load_id')
