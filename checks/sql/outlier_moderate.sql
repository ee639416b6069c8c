-- rule: outlier_moderate
-- table: int_scores
-- checked: chk_outlier_checked
-- figures: none
-- description: A total score lies far from the other scores of the same intervention,
--   instrument and measurement point: outlier_sd_moderate (2 SD) <= |z| below
--   outlier_sd_extreme, and the modified z below its limit
--   (WHO data quality review defaults; cells with fewer than outlier_min_n scores are
--   not searched).
-- fix: Check the form for typing errors; if the score is right, it is a citizen to talk
--   about, not an error.

with

failures as (
    select * from chk_outlier_failures
    where outlier_class = 'moderate'
),

final as (
    select
        * exclude (outlier_class),
        'outlier_moderate' as rule_id,
        chk_severity('outlier_moderate') as severity
    from failures
)

-- the columns are those of the base view (the runner inserts them by name)
select * from final  -- noqa: AM04
