-- model: int_point_scores
-- grain: one row per course, instrument, scale and planned measurement point occurrence
--   that has a scored primary form (int_scores where is_point_primary).
-- incremental: course_id
-- materialized: temporary
-- Cohort: a course belongs to the instrument's same-cohort series (is_cohort) when it
--   has a score at every distinct planned point of that instrument in its intervention's
--   plan; series restricted to is_cohort follow the same citizens over all points.
-- columns:
--   course_id: course id
--   citizen_id: pseudonymised citizen id
--   is_repeat_citizen: true when the citizen has more than one course in the intervention
--   intervention_id: intervention id
--   variant: intervention variant
--   gender: citizen gender
--   age_band: age band at course start
--   start_year: year of course start
--   case_status: open | closed_planned | closed_unplanned
--   instrument_id: instrument id
--   scale_id: 'total' or a subscale id
--   direction: higher_is_better | higher_is_worse
--   point_id: measurement point id
--   point_order: order of the point in the plan
--   occurrence_no: occurrence of a repeating point (0 otherwise)
--   form_id: the primary form at this point
--   measured_on: date of the form
--   score: scale score
--   improvement_since_start: change since the course baseline, direction-adjusted
--   rci_class: reliable change class at this point (NULL at the baseline)
--   n_points_planned: distinct planned points of the instrument in the plan
--   n_points_scored: distinct planned points the course has a score at
--   is_cohort: true when the course has a score at every planned point

with

scores as (
    select * from int_scores
),

courses as (
    select * from int_courses
),


plan as (
    select * from ref.measurement_plan
),

planned_per_instrument as (
    select
        intervention_id,
        instrument_id,
        count(distinct point_id) as n_points_planned
    from plan
    group by intervention_id, instrument_id
),

primary_scores as (
    select * from scores
    where is_point_primary and score is not null
),

points_scored as (
    select
        course_id,
        instrument_id,
        scale_id,
        count(distinct point_id) as n_points_scored
    from primary_scores
    group by course_id, instrument_id, scale_id
),

counted as (
    select
        primary_scores.*,
        points_scored.n_points_scored
    from primary_scores
    inner join points_scored
        on
            primary_scores.course_id = points_scored.course_id
            and primary_scores.instrument_id = points_scored.instrument_id
            and primary_scores.scale_id = points_scored.scale_id
),

final as (
    select
        counted.course_id,
        counted.citizen_id,
        counted.is_repeat_citizen,
        counted.intervention_id,
        courses.variant,
        courses.gender,
        courses.age_band,
        courses.start_year,
        courses.case_status,
        counted.instrument_id,
        counted.scale_id,
        counted.direction,
        counted.point_id,
        counted.point_order,
        counted.occurrence_no,
        counted.form_id,
        counted.measured_on,
        counted.score,
        counted.improvement_since_start,
        counted.rci_class,
        planned_per_instrument.n_points_planned,
        counted.n_points_scored,
        counted.n_points_scored = planned_per_instrument.n_points_planned as is_cohort
    from counted
    inner join courses on counted.course_id = courses.course_id
    inner join planned_per_instrument
        on
            counted.intervention_id = planned_per_instrument.intervention_id
            and counted.instrument_id = planned_per_instrument.instrument_id
)

select * from final
