-- view: chk_outlier_checked
-- grain: one row per scored form total (chk_scores) in a cell that is searched for
--   outliers (chk_outlier_cells): what the outlier rules count as checked.
-- columns: the chk_scores columns

select scores.*
from chk_scores as scores
semi join chk_outlier_cells as cells
    on
        scores.intervention_id = cells.intervention_id
        and scores.instrument_id = cells.instrument_id
        and scores.point_key = cells.point_key
