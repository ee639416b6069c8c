-- view: chk_rater_gap
-- materialize: true
-- grain: one row per course in the run's scope with a later score (after the baseline)
--   on both a citizen-rated and a staff-rated validated instrument.
-- Improvement per instrument: the course's latest improvement_since_start (direction
--   adjusted, > 0 = better) divided by the SD of the baseline scores of the instrument in
--   the intervention, so instruments on different scales compare. Per course the mean
--   over citizen-rated and over staff-rated instruments; gap = citizen - staff (positive:
--   the citizen sees more progress than the staff do).
-- columns:
--   course_id, intervention_id, team_id, staff_id (staff member of the latest staff score)
--   citizen_improvement, staff_improvement, gap: SD units
--   citizen_instruments, staff_instruments: instruments used
--   measured_on: date of the latest score
--   is_large: |gap| >= rater_gap_sd

with

scores as (
    select * from chk_scores
    where instrument_kind = 'validated' and score_source = 'form'
),

params as (
    select * from chk_params
),

baseline_sd as (
    select
        intervention_id,
        instrument_id,
        stddev_samp(score) as sd
    from scores
    where is_baseline
    group by intervention_id, instrument_id
),

latest as (
    select
        scores.course_id,
        scores.intervention_id,
        scores.team_id,
        scores.instrument_id,
        scores.staff_id,
        scores.measured_on,
        scores.is_citizen_rated,
        scores.improvement_since_start / baseline_sd.sd as improvement
    from scores
    inner join baseline_sd
        on
            scores.intervention_id = baseline_sd.intervention_id
            and scores.instrument_id = baseline_sd.instrument_id
    where scores.is_latest_follow_up and baseline_sd.sd > 0
),

-- latest holds one row per course and instrument, so the lists need no distinct
per_course as (
    select
        course_id,
        any_value(intervention_id) as intervention_id,
        any_value(team_id) as team_id,
        arg_max(staff_id, (measured_on, staff_id)) filter (where not is_citizen_rated)
            as staff_id,
        avg(improvement) filter (where is_citizen_rated) as citizen_improvement,
        avg(improvement) filter (where not is_citizen_rated) as staff_improvement,
        array_to_string(list_sort(list(instrument_id) filter (where is_citizen_rated)), ', ')
            as citizen_instruments,
        array_to_string(list_sort(list(instrument_id) filter (where not is_citizen_rated)), ', ')
            as staff_instruments,
        max(measured_on) as measured_on
    from latest
    group by course_id
),

final as (
    select
        per_course.*,
        per_course.citizen_improvement - per_course.staff_improvement as gap,
        abs(per_course.citizen_improvement - per_course.staff_improvement)
        >= params.rater_gap_sd as is_large
    from per_course
    cross join params
    where
        per_course.citizen_improvement is not null
        and per_course.staff_improvement is not null
)

select * from final
