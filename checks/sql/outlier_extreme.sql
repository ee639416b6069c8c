-- rule: outlier_extreme
-- table: int_scores
-- checked: chk_outlier_checked
-- figures: mart_progression_by_point, mart_target_group_at_start, mart_group_comparison
-- description: A total score lies far from the other scores of the same intervention,
--   instrument and measurement point: |z| >= outlier_sd_extreme (3 SD) or
--   |modified z| >= outlier_modified_z (3.5)
--   (WHO data quality review defaults; cells with fewer than outlier_min_n scores are
--   not searched).
-- fix: Check the form for typing errors; if the score is right, it is a citizen to talk
--   about, not an error.

with

scores as (
    select * from chk_outlier_scores
),

final as (
    select
        'outlier_extreme' as rule_id,
        chk_severity('outlier_extreme') as severity,
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
    where outlier_class = 'extreme'
)

select * from final
