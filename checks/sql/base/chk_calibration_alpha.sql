-- view: chk_calibration_alpha
-- materialize: true
-- grain: one row per instrument (level instrument) and per instrument and item (level
--   item) scored in the calibration workshops of the run's scope.
-- Krippendorff's alpha for interval data: alpha = 1 - D_o / D_e, with D_o the mean
--   squared difference between two raters' scores of the same unit and D_e the same over
--   all pairs of scores. A unit is one case of one workshop (level item) or one case and
--   item (level instrument); only units scored by at least two raters count. With
--   n = sum of m_u (scores in such units) and, per unit, sum over ordered pairs
--   (x_i - x_j)^2 = 2 m_u sum(x^2) - 2 (sum x)^2:
--   D_o = 1/n sum_u [pairs_u / (m_u - 1)], D_e = pairs_all / (n (n - 1)).
--   alpha is NULL when D_e = 0 (no spread at all) or there is only one unit at level
--   item (one case cannot separate agreement from the case).
-- columns:
--   level: instrument | item
--   instrument_id, item_no (NULL at level instrument)
--   n_units, n_values: units and scores used
--   n_raters: distinct staff members
--   rater_sd: mean within-unit SD of the scores (points)
--   alpha: Krippendorff's alpha (interval)
--   is_low: alpha below calibration_alpha_min with at least calibration_min_values scores

with

calibration as (
    select * from chk_calibration
    where value is not null
),

params as (
    select * from chk_params
),

unit_values as (
    select
        'item' as level,
        instrument_id,
        item_no,
        unit_id,
        value,
        staff_id
    from calibration
    union all
    select
        'instrument' as level,
        instrument_id,
        null as item_no,
        unit_id || '#' || item_no as unit_id,
        value,
        staff_id
    from calibration
),

units as (
    select
        level,
        instrument_id,
        item_no,
        unit_id,
        count(*) as m,
        sum(value) as s1,
        sum(value * value) as s2,
        stddev_samp(value) as unit_sd
    from unit_values
    group by level, instrument_id, item_no, unit_id
    having count(*) >= 2
),

raters as (
    select
        level,
        instrument_id,
        item_no,
        count(distinct staff_id) as n_raters
    from unit_values
    group by level, instrument_id, item_no
),

sums as (
    select
        level,
        instrument_id,
        item_no,
        count(*) as n_units,
        sum(m) as n_values,
        sum((2 * m * s2 - 2 * s1 * s1) / (m - 1)) as within_pairs,
        2 * sum(m) * sum(s2) - 2 * sum(s1) * sum(s1) as all_pairs,
        avg(unit_sd) as rater_sd
    from units
    group by level, instrument_id, item_no
),

final as (
    select
        sums.level,
        sums.instrument_id,
        sums.item_no,
        sums.n_units,
        sums.n_values,
        raters.n_raters,
        sums.rater_sd,
        case
            when
                sums.all_pairs > 1e-12
                and not (sums.level = 'item' and sums.n_units < 2)
                then 1 - (sums.within_pairs / sums.n_values)
                / (sums.all_pairs / (sums.n_values * (sums.n_values - 1)))
        end as alpha,
        coalesce(
            sums.n_values >= params.calibration_min_values
            and 1 - (sums.within_pairs / sums.n_values)
            / (sums.all_pairs / (sums.n_values * (sums.n_values - 1)))
            < params.calibration_alpha_min
            and sums.all_pairs > 1e-12
            and not (sums.level = 'item' and sums.n_units < 2),
            false
        ) as is_low
    from sums
    cross join params
    left join raters
        on
            sums.level = raters.level
            and sums.instrument_id = raters.instrument_id
            and sums.item_no is not distinct from raters.item_no
)

select * from final
