-- Give every duplicate found by find_duplicates.sql (table _dups) its problem.
-- Placeholder (double-underscore names): key_column (a literal: the mapping column
-- named in the quarantine).
update _stg
set
    problems = [
        staging.problem('duplicate_key', __key_column__, _dups.key_text, _dups.first_row_no)
    ]
from _dups
where
    _stg.row_no = _dups.row_no
    and _stg.cell_item_no is not distinct from _dups.cell_item_no
