-- view: chk_calibration_raters
-- materialize: true
-- grain: one row per staff member and instrument in the calibration workshops of the
--   run's scope.
-- Deviation: each score minus the mean of the other raters' scores of the same case and
--   item (cases scored by at least two raters); mean over the staff member's scores, also
--   as a share of the instrument's item range (item_max - item_min). Interval of the
--   mean by the normal approximation (confidence_z).
-- columns:
--   staff_id, instrument_id, n_items: scores compared
--   mean_deviation: points (positive: scores higher than the others)
--   deviation_share: mean_deviation / item range
--   ci_low, ci_high: interval of mean_deviation (points)
--   is_deviant: |deviation_share| >= calibration_deviation_share, at least
--     calibration_min_items scores and the interval excludes 0

with

calibration as (
    select * from chk_calibration
    where value is not null
),

params as (
    select * from chk_params
),

with_others as (
    select
        staff_id,
        instrument_id,
        item_max - item_min as item_range,
        value,
        count(*) over unit as m,
        sum(value) over unit as s1
    from calibration
    window unit as (partition by unit_id, instrument_id, item_no)
),

deviations as (
    select
        staff_id,
        instrument_id,
        item_range,
        value - (s1 - value) / (m - 1) as deviation
    from with_others
    where m >= 2
),

per_rater as (
    select
        staff_id,
        instrument_id,
        count(*) as n_items,
        avg(deviation) as mean_deviation,
        stddev_samp(deviation) as sd_deviation,
        any_value(item_range) as item_range
    from deviations
    group by staff_id, instrument_id
),

final as (
    select
        per_rater.staff_id,
        per_rater.instrument_id,
        per_rater.n_items,
        per_rater.mean_deviation,
        per_rater.mean_deviation / nullif(per_rater.item_range, 0) as deviation_share,
        per_rater.mean_deviation
        - params.confidence_z * per_rater.sd_deviation / sqrt(per_rater.n_items) as ci_low,
        per_rater.mean_deviation
        + params.confidence_z * per_rater.sd_deviation / sqrt(per_rater.n_items) as ci_high,
        coalesce(
            per_rater.n_items >= params.calibration_min_items
            and abs(per_rater.mean_deviation / nullif(per_rater.item_range, 0))
            >= params.calibration_deviation_share
            and (
                per_rater.mean_deviation
                - params.confidence_z * per_rater.sd_deviation / sqrt(per_rater.n_items) > 0
                or per_rater.mean_deviation
                + params.confidence_z * per_rater.sd_deviation / sqrt(per_rater.n_items) < 0
            ),
            false
        ) as is_deviant
    from per_rater
    cross join params
)

select * from final
