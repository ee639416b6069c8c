-- Give every CSV record that was cut short (a field or the whole record over the
-- ingest limits, table _oversized made by transforms.ingest.load from
-- transforms.ingest.prepare.cut_oversized) its problem: field_too_long or
-- line_too_long, with the line number in detail. It replaces the problems typing
-- found: those come from the values cut short, not from the export. A wide form
-- has one row per item in _stg; quarantine_rows.sql lists the problem once.
update _stg
set
    problems = [
        staging.problem(
            _oversized.rule, _oversized.column_name, _oversized.value, _oversized.detail
        )
    ]
from _oversized
where _stg.row_no = _oversized.row_no
