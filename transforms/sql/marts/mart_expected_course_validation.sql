-- model: mart_expected_course_validation
-- grain: one row per intervention and outcome instrument with test courses: how the
--   off-course flags would have done on newer closed courses when the expected course
--   is fitted on older ones only (time split: int_course_outcome_scores, fit set
--   'validation'). Rebuilt at every build; the split moves a quarter at a time.
-- A test course counts when it has an intake, a last scored point and at least one
--   scored point between them (a warning must come before the outcome is known).
--   Eventual improver = reliably improved or recovered at the last point (instruments
--   without a reliable-change rule: improvement > 0). Flagged = red at a point before
--   the last. Hit rate = flagged non-improvers / non-improvers; false-alarm rate =
--   flagged improvers / improvers. Late improvers = improvers flagged red earlier (the
--   signal stayed live and let them go); missed = late improvers whose flag at the last
--   point is still not green. Intervals: Wilson 95 %. Small groups hidden (macro).
-- columns:
--   intervention_id: intervention id
--   instrument_id: instrument id
--   split_on: start of the quarter that splits training (older) from test (newer) courses
--   validated_on: the build's as-of date
--   suppression_group: one group per row (intervention|instrument)
--   is_suppressed: true when the row is hidden (fewer than k test citizens)
--   suppression_reason: small_cell | complementary | NULL
--   n_citizens: distinct citizens among the test courses
--   n_train_courses: older closed courses the validation fit used
--   n_test_courses: newer closed courses tested
--   n_non_improvers: test courses not reliably improved at their last point
--   n_non_improvers_flagged: of those, flagged red before the last point
--   share_non_improvers_flagged: hit rate (share of eventual non-improvers flagged)
--   ci_hit_low: lower end of the hit rate's 95 % interval
--   ci_hit_high: upper end of the hit rate's 95 % interval
--   n_improvers: test courses reliably improved at their last point
--   n_false_alarms: improvers flagged red before the last point
--   share_false_alarms: false-alarm rate (flagged improvers / improvers)
--   ci_false_alarm_low: lower end of the false-alarm rate's 95 % interval
--   ci_false_alarm_high: upper end of the false-alarm rate's 95 % interval
--   n_late_improvers: improvers flagged red earlier (the false alarms)
--   n_late_improvers_missed: late improvers whose last flag is not green
--   share_points_expected_course: share of the tested points flagged by the expected
--     course (the rest by the reliable-change fallback)

with

flags as (
    select * from int_course_flags
    where fit_set = 'validation'
),

outcome_scores as (
    select * from int_course_outcome_scores
),

settings as (
    select * from ref.settings
),

training as (
    select
        intervention_id,
        instrument_id,
        count(distinct course_id) as n_train_courses
    from outcome_scores
    where is_validation_train
    group by all
),

per_course as (
    select
        intervention_id,
        instrument_id,
        course_id,
        citizen_id,
        is_repeat_citizen,
        bool_or(flag = 'red') filter (where not is_last_point and not is_intake_point)
            as is_flagged_early,
        count(*) filter (where not is_last_point and not is_intake_point) as n_early_points,
        count(*) filter (where not is_intake_point and flag_rule = 'expected_course')
            as n_points_expected_course,
        count(*) filter (where not is_intake_point) as n_points_tested,
        any_value(
            coalesce(
                rci_class in ('recovered', 'reliably_improved'),
                improvement_since_start > 0
            )
        ) filter (where is_last_point) as is_improver,
        any_value(flag) filter (where is_last_point) as last_flag,
        bool_or(is_intake_point) as has_intake
    from flags
    group by all
),

tested as (
    select * from per_course
    where has_intake and n_early_points > 0 and is_improver is not null
),

aggregated as (
    select
        intervention_id,
        instrument_id,
        count_citizens(citizen_id, is_repeat_citizen) as n_citizens,
        count(*) as n_test_courses,
        count(*) filter (where not is_improver) as n_non_improvers,
        count(*) filter (where not is_improver and is_flagged_early)
            as n_non_improvers_flagged,
        count(*) filter (where is_improver) as n_improvers,
        count(*) filter (where is_improver and is_flagged_early) as n_false_alarms,
        count(*) filter (where is_improver and is_flagged_early and last_flag <> 'green')
            as n_late_improvers_missed,
        sum(n_points_expected_course) / sum(n_points_tested) as share_points_expected_course
    from tested
    group by all
),

cells as (  -- noqa: ST03
    select
        aggregated.*,
        training.n_train_courses,
        aggregated.n_false_alarms as n_late_improvers,
        case
            when aggregated.n_non_improvers > 0
                then aggregated.n_non_improvers_flagged / aggregated.n_non_improvers
        end as share_non_improvers_flagged,
        wilson_low(aggregated.n_non_improvers_flagged, aggregated.n_non_improvers)
            as ci_hit_low,
        wilson_high(aggregated.n_non_improvers_flagged, aggregated.n_non_improvers)
            as ci_hit_high,
        case
            when aggregated.n_improvers > 0
                then aggregated.n_false_alarms / aggregated.n_improvers
        end as share_false_alarms,
        wilson_low(aggregated.n_false_alarms, aggregated.n_improvers) as ci_false_alarm_low,
        wilson_high(aggregated.n_false_alarms, aggregated.n_improvers)
            as ci_false_alarm_high,
        concat_ws('|', aggregated.intervention_id, aggregated.instrument_id)
            as suppression_group
    from aggregated
    left join training
        on
            aggregated.intervention_id = training.intervention_id
            and aggregated.instrument_id = training.instrument_id
),

suppressed as (
    select * from suppress_small_cells(cells)
),

split as (
    select any_value(split_on) as split_on
    from outcome_scores
),

final as (
    select
        suppressed.intervention_id,
        suppressed.instrument_id,
        split.split_on,
        settings.as_of_date as validated_on,
        suppressed.suppression_group,
        suppressed.is_suppressed,
        suppressed.suppression_reason,
        suppressed.n_citizens,
        suppressed.n_train_courses,
        suppressed.n_test_courses,
        suppressed.n_non_improvers,
        suppressed.n_non_improvers_flagged,
        suppressed.share_non_improvers_flagged,
        suppressed.ci_hit_low,
        suppressed.ci_hit_high,
        suppressed.n_improvers,
        suppressed.n_false_alarms,
        suppressed.share_false_alarms,
        suppressed.ci_false_alarm_low,
        suppressed.ci_false_alarm_high,
        suppressed.n_late_improvers,
        suppressed.n_late_improvers_missed,
        suppressed.share_points_expected_course
    from suppressed
    cross join split
    cross join settings
)

select * from final
