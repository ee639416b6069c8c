-- model: int_course_outcome_scores
-- grain: one row per course, outcome instrument (total score) and planned measurement
--   point occurrence with a scored primary form: the rows the expected course is fitted
--   on and flagged at.
-- incremental: course_id
-- Outcome instruments: kind validated or dialogue, except the alliance instrument
--   (ref.expected_course_settings.alliance_instrument, read by
--   mart_citizen_alliance_signals instead). Intake = the score at the instrument's first
--   planned point in the intervention's plan (occurrence 0); a course without it has no
--   intake and is flagged by reliable change only.
-- Reference courses are closed courses. Time split for the validation: split_on of
--   int_validation_split; closed courses started before it train, the others are tested.
-- columns:
--   course_id: course id
--   citizen_id: pseudonymised citizen id
--   is_repeat_citizen: true when the citizen has more than one course in the intervention
--   intervention_id: intervention id
--   team_id: team delivering the course
--   variant: intervention variant
--   case_status: open | closed_planned | closed_unplanned
--   start_date: course start
--   split_on: start of the quarter that splits training from test courses
--   instrument_id: instrument id
--   direction_sign: +1 higher is better, -1 higher is worse
--   point_id: measurement point id
--   point_order: order of the point in the plan
--   occurrence_no: occurrence of a repeating point (0 otherwise)
--   is_intake_point: true at the instrument's first planned point
--   form_id: the primary form at this point
--   measured_on: date of the form
--   score: total score
--   intake_score: score at the instrument's first planned point (NULL when missing)
--   rci_class: reliable change class since the course baseline (NULL at the baseline)
--   improvement_since_start: change since the baseline, direction-adjusted (> 0 = better)
--   is_reference: true for a closed course (fitted on)
--   is_validation_train: closed and started before split_on
--   is_validation_test: closed and started on or after split_on
--   point_rank: 1 for the first scored point of the course and instrument, then 2, 3 ...
--   is_last_point: true for the course's last scored point of the instrument

with

scores as (
    select * from int_scores
),

courses as (
    select * from int_courses
),

instruments as (
    select * from ref.instruments
),

plan as (
    select * from ref.measurement_plan
),

settings as (
    select * from ref.expected_course_settings
),

first_points as (
    select
        intervention_id,
        instrument_id,
        min(point_order) as first_point_order
    from plan
    group by intervention_id, instrument_id
),

split as (
    select * from int_validation_split
),

outcome_scores as (
    select
        scores.course_id,
        scores.citizen_id,
        scores.is_repeat_citizen,
        scores.intervention_id,
        scores.instrument_id,
        instruments.direction_sign,
        scores.point_id,
        scores.point_order,
        scores.occurrence_no,
        scores.form_id,
        scores.measured_on,
        scores.score,
        scores.rci_class,
        scores.improvement_since_start,
        scores.point_order = first_points.first_point_order
        and scores.occurrence_no = 0 as is_intake_point
    from scores
    inner join instruments on scores.instrument_id = instruments.instrument_id
    inner join first_points
        on
            scores.intervention_id = first_points.intervention_id
            and scores.instrument_id = first_points.instrument_id
    cross join settings
    where
        scores.is_total
        and scores.is_point_primary
        and scores.score is not null
        and instruments.kind in ('validated', 'dialogue')
        and scores.instrument_id is distinct from settings.alliance_instrument
),

intakes as (
    select
        course_id,
        instrument_id,
        score as intake_score
    from outcome_scores
    where is_intake_point
),

final as (
    select
        outcome_scores.course_id,
        outcome_scores.citizen_id,
        outcome_scores.is_repeat_citizen,
        outcome_scores.intervention_id,
        courses.team_id,
        courses.variant,
        courses.case_status,
        courses.start_date,
        split.split_on,
        outcome_scores.instrument_id,
        outcome_scores.direction_sign,
        outcome_scores.point_id,
        outcome_scores.point_order,
        outcome_scores.occurrence_no,
        outcome_scores.is_intake_point,
        outcome_scores.form_id,
        outcome_scores.measured_on,
        outcome_scores.score,
        intakes.intake_score,
        outcome_scores.rci_class,
        outcome_scores.improvement_since_start,
        courses.case_status <> 'open' as is_reference,
        coalesce(
            courses.case_status <> 'open' and courses.start_date < split.split_on, false
        ) as is_validation_train,
        coalesce(
            courses.case_status <> 'open' and courses.start_date >= split.split_on, false
        ) as is_validation_test,
        row_number() over course_instrument as point_rank,
        lead(outcome_scores.point_order) over course_instrument is null as is_last_point
    from outcome_scores
    inner join courses on outcome_scores.course_id = courses.course_id
    left join intakes
        on
            outcome_scores.course_id = intakes.course_id
            and outcome_scores.instrument_id = intakes.instrument_id
    left join split on true
    window course_instrument as (
        partition by outcome_scores.course_id, outcome_scores.instrument_id
        order by
            outcome_scores.point_order,
            outcome_scores.occurrence_no,
            outcome_scores.measured_on
    )
)

select * from final
