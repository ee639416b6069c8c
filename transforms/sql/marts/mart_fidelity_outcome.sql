-- model: mart_fidelity_outcome
-- grain: one row per intervention, outcome instrument (total score) and fidelity level:
--   do courses where the core elements were more in play (KiK) show more improvement?
-- Course fidelity = mean of the course's fidelity (KiK) total scores; its level comes
--   from where that mean lies in the item range (ref.fidelity_levels: low / medium /
--   high). Outcome = the course's latest non-baseline score of each other instrument:
--   improvement since start (positive = better) and reliable change class. Cells with
--   fewer than k citizens are hidden, plus the complementary level of the same
--   intervention and instrument.
-- columns:
--   intervention_id: intervention id
--   instrument_id: outcome instrument id
--   fidelity_level: low | medium | high
--   level_order: 1..3
--   suppression_group: the levels of one intervention and instrument
--   is_suppressed: true when the cell's values are hidden
--   suppression_reason: small_cell | complementary | NULL
--   n_citizens: distinct citizens in the cell
--   n_courses: courses in the cell
--   mean_fidelity: mean course fidelity score
--   mean_improvement: mean improvement since start (positive = better)
--   sd_improvement: standard deviation of the improvement
--   ci_low: lower end of the 95 % interval of mean_improvement (normal approximation)
--   ci_high: upper end of the 95 % interval of mean_improvement
--   n_with_rci: courses with a reliable change class
--   share_reliably_improved: share recovered or reliably improved (of n_with_rci)
--   ci_share_low: Wilson 95 % interval, lower end
--   ci_share_high: Wilson 95 % interval, upper end

with

scores as (
    select * from int_scores
),

instruments as (
    select * from ref.instruments
),

fidelity_levels as (
    select * from ref.fidelity_levels
),

course_fidelity as (
    select
        scores.course_id,
        avg(scores.score) as mean_fidelity,
        avg((scores.score - instruments.item_min) / (instruments.item_max - instruments.item_min))
            as fidelity_position
    from scores
    inner join instruments on scores.instrument_id = instruments.instrument_id
    where instruments.kind = 'fidelity' and scores.is_total and scores.score is not null
    group by scores.course_id
),

course_level as (
    select
        course_fidelity.*,
        fidelity_levels.fidelity_level,
        fidelity_levels.level_order
    from course_fidelity
    inner join fidelity_levels
        on
            course_fidelity.fidelity_position >= fidelity_levels.min_position
            and (
                course_fidelity.fidelity_position < fidelity_levels.max_position
                or (fidelity_levels.max_position = 1 and course_fidelity.fidelity_position <= 1)
            )
),

outcomes as (
    select scores.*
    from scores
    inner join instruments on scores.instrument_id = instruments.instrument_id
    where
        instruments.kind != 'fidelity'
        and scores.is_total
        and scores.score is not null
        and not scores.is_baseline
    qualify row_number() over (
        partition by scores.course_id, scores.instrument_id
        order by scores.measured_on desc, scores.form_id desc
    ) = 1
),

aggregated as (
    select
        outcomes.intervention_id,
        outcomes.instrument_id,
        course_level.fidelity_level,
        course_level.level_order,
        count_citizens(outcomes.citizen_id, outcomes.is_repeat_citizen) as n_citizens,
        count(*) as n_courses,
        avg(course_level.mean_fidelity) as mean_fidelity,
        avg(outcomes.improvement_since_start) as mean_improvement,
        stddev_samp(outcomes.improvement_since_start) as sd_improvement,
        mean_ci_low(
            avg(outcomes.improvement_since_start),
            stddev_samp(outcomes.improvement_since_start),
            count(*)
        ) as ci_low,
        mean_ci_high(
            avg(outcomes.improvement_since_start),
            stddev_samp(outcomes.improvement_since_start),
            count(*)
        ) as ci_high,
        count(outcomes.rci_class) as n_with_rci,
        count(*) filter (where outcomes.rci_class in ('recovered', 'reliably_improved'))
        / nullif(count(outcomes.rci_class), 0) as share_reliably_improved,
        wilson_low(
            count(*) filter (where outcomes.rci_class in ('recovered', 'reliably_improved')),
            count(outcomes.rci_class)
        ) as ci_share_low,
        wilson_high(
            count(*) filter (where outcomes.rci_class in ('recovered', 'reliably_improved')),
            count(outcomes.rci_class)
        ) as ci_share_high
    from outcomes
    inner join course_level on outcomes.course_id = course_level.course_id
    group by all
),

-- cells is read by name inside the suppression macro, which sqlfluff cannot see
cells as (  -- noqa: ST03
    select
        *,
        concat_ws('|', intervention_id, instrument_id) as suppression_group
    from aggregated
),

suppressed as (
    select * from suppress_small_cells(cells)
),

final as (
    select
        suppressed.intervention_id,
        suppressed.instrument_id,
        suppressed.fidelity_level,
        suppressed.level_order,
        suppressed.suppression_group,
        suppressed.is_suppressed,
        suppressed.suppression_reason,
        suppressed.n_citizens,
        suppressed.n_courses,
        suppressed.mean_fidelity,
        suppressed.mean_improvement,
        suppressed.sd_improvement,
        suppressed.ci_low,
        suppressed.ci_high,
        suppressed.n_with_rci,
        suppressed.share_reliably_improved,
        suppressed.ci_share_low,
        suppressed.ci_share_high
    from suppressed
)

select * from final
