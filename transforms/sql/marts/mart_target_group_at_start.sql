-- model: mart_target_group_at_start
-- grain: one row per intervention, instrument, scale, start year, breakdown and group
--   (handbook fig. 5): mean baseline score of the citizens who started that year.
-- Baseline = each course's first scored form of the instrument and scale. Breakdowns:
--   'all' (group 'all'), 'gender' (female / male / other / unknown) and 'age_band'
--   (ref.age_bands, or unknown). Cells with fewer than k citizens are hidden, and the
--   complementary cell within the same intervention, instrument, scale, year and
--   breakdown (suppress_small_cells).
-- columns:
--   intervention_id: intervention id
--   instrument_id: instrument id
--   scale_id: 'total' or a subscale id
--   start_year: year the courses started
--   breakdown: all | gender | age_band
--   group_value: the group within the breakdown ('all' for breakdown all)
--   suppression_group: cells that add up to the breakdown's total
--   is_suppressed: true when the cell's values are hidden
--   suppression_reason: small_cell | complementary | NULL
--   n_citizens: distinct citizens in the cell
--   n_courses: courses in the cell
--   mean_baseline: mean baseline score
--   sd_baseline: standard deviation of the baseline scores
--   ci_low: lower end of the 95 % interval of the mean (normal approximation)
--   ci_high: upper end of the 95 % interval of the mean
--   n_with_cutoff: courses whose score can be judged against a cut-off
--   share_clinical: share of those on the clinical side of the cut-off at start
--   ci_share_clinical_low: Wilson 95 % interval, lower end
--   ci_share_clinical_high: Wilson 95 % interval, upper end

with

scores as (
    select * from int_scores
),

courses as (
    select * from int_courses
),

baselines as (
    select
        scores.intervention_id,
        scores.instrument_id,
        scores.scale_id,
        scores.course_id,
        scores.citizen_id,
        scores.is_repeat_citizen,
        scores.score,
        scores.is_clinical,
        courses.start_year,
        coalesce(courses.gender, 'unknown') as gender,
        coalesce(courses.age_band, 'unknown') as age_band
    from scores
    inner join courses on scores.course_id = courses.course_id
    where scores.is_baseline
),

by_group as (
    select
        *,
        'all' as breakdown,
        'all' as group_value
    from baselines
    union all
    select
        *,
        'gender' as breakdown,
        gender as group_value
    from baselines
    union all
    select
        *,
        'age_band' as breakdown,
        age_band as group_value
    from baselines
),

aggregated as (
    select
        intervention_id,
        instrument_id,
        scale_id,
        start_year,
        breakdown,
        group_value,
        count_citizens(citizen_id, is_repeat_citizen) as n_citizens,
        count(*) as n_courses,
        avg(score) as mean_baseline,
        stddev_samp(score) as sd_baseline,
        mean_ci_low(avg(score), stddev_samp(score), count(*)) as ci_low,
        mean_ci_high(avg(score), stddev_samp(score), count(*)) as ci_high,
        count(is_clinical) as n_with_cutoff,
        count(*) filter (where is_clinical) / nullif(count(is_clinical), 0) as share_clinical,
        wilson_low(count(*) filter (where is_clinical), count(is_clinical))
            as ci_share_clinical_low,
        wilson_high(count(*) filter (where is_clinical), count(is_clinical))
            as ci_share_clinical_high
    from by_group
    group by all
),

-- cells is read by name inside the suppression macro, which sqlfluff cannot see
cells as (  -- noqa: ST03
    select
        *,
        concat_ws('|', intervention_id, instrument_id, scale_id, start_year, breakdown)
            as suppression_group
    from aggregated
),

suppressed as (
    select * from suppress_small_cells(cells)
),

final as (
    select
        suppressed.intervention_id,
        suppressed.instrument_id,
        suppressed.scale_id,
        suppressed.start_year,
        suppressed.breakdown,
        suppressed.group_value,
        suppressed.suppression_group,
        suppressed.is_suppressed,
        suppressed.suppression_reason,
        suppressed.n_citizens,
        suppressed.n_courses,
        suppressed.mean_baseline,
        suppressed.sd_baseline,
        suppressed.ci_low,
        suppressed.ci_high,
        suppressed.n_with_cutoff,
        suppressed.share_clinical,
        suppressed.ci_share_clinical_low,
        suppressed.ci_share_clinical_high
    from suppressed
)

select * from final
