-- view: chk_outlier_failures
-- materialize: true
-- grain: one row per outlier of chk_outlier_scores, shaped as a failure row of the
--   outlier rules (outlier_extreme, outlier_moderate), which pick their class and add
--   rule_id and severity.
-- columns: outlier_class (extreme | moderate), then the failure columns table_name,
--   intervention_id, team_id, staff_id, course_id, form_id, instrument_id, point_id,
--   event_date, observed (z), reason

-- A table, where chk_outlier_scores is a view read once here: the view passes on only
-- the columns used below, where a table of the scores copied every chk_scores column of
-- the million scores at 100 000 courses (0.07 s more CPU).

with

scores as (
    select * from chk_outlier_scores
),

final as (
    select
        outlier_class,
        'int_scores' as table_name,
        intervention_id,
        team_id,
        staff_id,
        course_id,
        form_id,
        instrument_id,
        point_id,
        measured_on as event_date,
        z as observed,
        'total ' || round(score, 2) || ' at ' || point_key || ': z = ' || round(z, 2)
        || coalesce(', modified z = ' || round(modified_z, 2), '') || ' (cell mean '
        || round(cell_mean, 2) || ', SD ' || round(cell_sd, 2) || ', n = ' || n_cell || ')'
            as reason
    from scores
)

select * from final
