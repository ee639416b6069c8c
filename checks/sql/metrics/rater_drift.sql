-- metric: rater_drift, calibration_deviation
-- grain: one row per staff member and instrument (group_id staff/instrument): the
--   rater-drift difference in SD units with its interval (chk_rater_drift), and the
--   calibration deviation in points per item with its interval (chk_calibration_raters).
--   is_below_target is true when the rule fires (the name is shared by all metrics).

with

drift as (
    select * from chk_rater_drift
),

calibration as (
    select * from chk_calibration_raters
),

params as (
    select * from chk_params
),

final as (
    select
        'rater_drift' as metric_id,
        'staff' as group_kind,
        drift.staff_id || '/' || drift.instrument_id as group_id,
        drift.n_staff::double as numerator,
        drift.n_others::double as denominator,
        drift.difference as value,
        drift.ci_low,
        drift.ci_high,
        params.drift_threshold_sd as target,
        drift.is_drift as is_below_target
    from drift
    cross join params
    union all
    select
        'calibration_deviation',
        'staff',
        calibration.staff_id || '/' || calibration.instrument_id,
        calibration.n_items::double,
        null,
        calibration.mean_deviation,
        calibration.ci_low,
        calibration.ci_high,
        params.calibration_deviation_share,
        calibration.is_deviant
    from calibration
    cross join params
)

select * from final
