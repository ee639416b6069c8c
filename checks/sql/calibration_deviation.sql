-- rule: calibration_deviation
-- table: staging.calibration_scores
-- checked: chk_calibration_raters
-- figures: none
-- description: In the calibration workshops a staff member scores the shared cases
--   systematically higher or lower than the other raters of the same case: the mean
--   deviation is at least calibration_deviation_share of the item range and its 95 %
--   interval excludes 0 (method in checks/sql/base/chk_calibration_raters.sql). This is
--   the same-case comparison behind rater_drift.
-- fix: Go through the staff member's scores item by item at the next workshop.

with

raters as (
    select * from chk_calibration_raters
),

final as (
    select
        'calibration_deviation' as rule_id,
        chk_severity('calibration_deviation') as severity,
        'staging.calibration_scores' as table_name,
        staff_id,
        instrument_id,
        mean_deviation as observed,
        'staff member ' || staff_id || ' scores ' || instrument_id || ' '
        || case when mean_deviation > 0 then 'higher' else 'lower' end
        || ' than the other raters of the same cases by ' || round(abs(mean_deviation), 2)
        || ' points per item (' || round(100 * abs(deviation_share)) || ' % of the item range; '
        || '95 % CI ' || round(ci_low, 2) || ' to ' || round(ci_high, 2) || ', ' || n_items
        || ' scores)' as reason
    from raters
    where is_deviant
)

select * from final
