-- model: mart_group_comparison
-- grain: one row per intervention, instrument, scale, series, breakdown, group and
--   planned measurement point occurrence (handbook figs. 8 and 9): groups of courses
--   compared at start, end and follow-up.
-- Breakdowns: 'variant' (e.g. with / without victim-offender mediation) and 'age_band'
--   (ref.age_bands at course start); a missing value is 'unknown'. (Gender at start is
--   in mart_target_group_at_start.)
-- Series, change_since_start and change_since_previous as in mart_progression_by_point,
--   within each group. Cells with fewer than k citizens are hidden, plus the
--   complementary cell among the groups at the same point (their total is the 'all'
--   series of mart_progression_by_point).
-- columns:
--   intervention_id: intervention id
--   instrument_id: instrument id
--   scale_id: 'total' or a subscale id
--   direction: higher_is_better | higher_is_worse
--   series: all | cohort
--   breakdown: variant | age_band
--   group_value: the group within the breakdown
--   point_id: measurement point id
--   point_order: order of the point in the plan
--   occurrence_no: occurrence of a repeating point (0 otherwise)
--   suppression_group: the groups at one point (they add up to the point's total)
--   is_suppressed: true when the cell's values are hidden
--   suppression_reason: small_cell | complementary | NULL
--   n_citizens: distinct citizens with a score at the point
--   n_courses: courses with a score at the point
--   mean_score: mean score
--   sd_score: standard deviation of the scores
--   ci_low: lower end of the 95 % interval of the mean (normal approximation)
--   ci_high: upper end of the 95 % interval of the mean
--   ci_change_low: lower end of the 95 % interval of change_since_start (cohort series:
--     the same courses at every point, so the change is the mean of each course's own
--     change; normal approximation); NULL in the 'all' series
--   ci_change_high: upper end of that interval
--   change_since_start: mean_score - the group's mean at the first planned point
--   change_since_previous: mean_score - the group's mean at the previous point with data

with

series as (
    select * from int_point_score_series
),

grouped_series as (
    select
        *,
        coalesce(variant, 'unknown') as variant_group,
        coalesce(age_band, 'unknown') as age_band_group
    from series
),

-- both breakdowns in one pass over the scores (grouping sets): at 100 000 courses
-- 0.36 s against 0.82 s for a union of the scores with themselves, grouped
aggregated as (
    select
        intervention_id,
        instrument_id,
        scale_id,
        direction,
        series,
        point_id,
        point_order,
        occurrence_no,
        first_point_order,
        case when grouping(variant_group) = 0 then 'variant' else 'age_band' end
            as breakdown,
        case when grouping(variant_group) = 0 then variant_group else age_band_group end
            as group_value,
        count_citizens(citizen_id, is_repeat_citizen) as n_citizens,
        count(*) as n_courses,
        avg(score) as mean_score,
        stddev_samp(score) as sd_score,
        mean_ci_low(avg(score), stddev_samp(score), count(*)) as ci_low,
        mean_ci_high(avg(score), stddev_samp(score), count(*)) as ci_high,
        case
            when series = 'cohort'
                then
                    mean_ci_low(
                        avg(change_from_start), stddev_samp(change_from_start),
                        count(change_from_start)
                    )
        end as ci_change_low,
        case
            when series = 'cohort'
                then
                    mean_ci_high(
                        avg(change_from_start), stddev_samp(change_from_start),
                        count(change_from_start)
                    )
        end as ci_change_high
    from grouped_series
    group by grouping sets (
        (
            intervention_id, instrument_id, scale_id, direction, series, point_id,
            point_order, occurrence_no, first_point_order, variant_group
        ),
        (
            intervention_id, instrument_id, scale_id, direction, series, point_id,
            point_order, occurrence_no, first_point_order, age_band_group
        )
    )
),

-- cells is read by name inside the suppression macro, which sqlfluff cannot see
cells as (  -- noqa: ST03
    select
        *,
        concat_ws(
            '|', intervention_id, instrument_id, scale_id, series, breakdown, point_id,
            occurrence_no
        ) as suppression_group
    from aggregated
),

suppressed as (
    select * from suppress_small_cells(cells)
),

with_reference_means as (
    select
        *,
        max(mean_score) filter (
            where point_order = first_point_order and occurrence_no = 0
        ) over line as start_mean,
        lag(mean_score) over (line order by point_order, occurrence_no) as previous_mean
    from suppressed
    window line as (
        partition by
            intervention_id, instrument_id, scale_id, series, breakdown, group_value
    )
),

final as (
    select
        intervention_id,
        instrument_id,
        scale_id,
        direction,
        series,
        breakdown,
        group_value,
        point_id,
        point_order,
        occurrence_no,
        suppression_group,
        is_suppressed,
        suppression_reason,
        n_citizens,
        n_courses,
        mean_score,
        sd_score,
        ci_low,
        ci_high,
        ci_change_low,
        ci_change_high,
        mean_score - start_mean as change_since_start,
        mean_score - previous_mean as change_since_previous
    from with_reference_means
)

select * from final
