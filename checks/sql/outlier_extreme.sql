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

failures as (
    select * from chk_outlier_failures
    where outlier_class = 'extreme'
),

final as (
    select
        * exclude (outlier_class),
        'outlier_extreme' as rule_id,
        chk_severity('outlier_extreme') as severity
    from failures
)

-- the columns are those of the base view (the runner inserts them by name)
select * from final  -- noqa: AM04
