-- Masked CPR numbers in the landed records of this load, one sum per text column
-- (the caller adds them up). Placeholder: table (landing table).
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
from {{ table }}
where load_id = $load_id
