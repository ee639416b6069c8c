-- model: mart_citizen_progression
-- grain: one row per form and scale: each score of a citizen's course over time, with
--   measurement point, band, change since start and since last, and reliable change
--   class (rules: int_scores). Not suppressed: for staff on the course.
-- incremental: course_id
-- materialized: view
-- columns:
--   course_id: course id
--   citizen_id: pseudonymised citizen id
--   intervention_id: intervention id
--   team_id: team id
--   case_status: open | closed_planned | closed_unplanned
--   instrument_id: instrument id
--   instrument_name: instrument name
--   scale_id: 'total' or a subscale id
--   direction: higher_is_better | higher_is_worse
--   form_id: form id
--   score_source: form | goal_ratings
--   measured_on: date of the form
--   point_id: measurement point (NULL when unplanned)
--   point_order: order of the point in the plan
--   timing_status: on_time | early | late | unplanned
--   rater_role: citizen | staff | parent | teacher
--   is_citizen_rated: true when the citizen rated (else staff-, parent- or teacher-rated)
--   staff_id: staff member who collected or rated
--   score: the scale score (NULL when not scored)
--   is_prorated: true when scored with some items missing
--   no_score_reason: no_items_answered | too_many_missing | NULL when scored
--   n_items_missing: items missing or out of range
--   band: band label (total only)
--   cutoff: clinical cut-off of the intervention's norm group (total only)
--   is_clinical: true when on the clinical side of the cut-off
--   is_baseline: true for the first scored form
--   baseline_score: score at the first scored form
--   change_since_start: score - baseline_score
--   change_since_last: score - previous scored form's score
--   improvement_since_start: change since start, positive = better
--   reliable_change_points: change needed to count as reliable (points)
--   rci: reliable change index (NULL when a published point value is used)
--   rci_class: recovered | reliably_improved | unchanged | reliably_deteriorated

with

scores as (
    select * from int_scores
),

form_points as (
    select * from int_form_points
),

courses as (
    select * from int_courses
),

instruments as (
    select * from ref.instruments
),

final as (
    select
        scores.course_id,
        scores.citizen_id,
        scores.intervention_id,
        courses.team_id,
        courses.case_status,
        scores.instrument_id,
        instruments.instrument_name,
        scores.scale_id,
        scores.direction,
        scores.form_id,
        form_points.score_source,
        scores.measured_on,
        scores.point_id,
        scores.point_order,
        form_points.timing_status,
        form_points.rater_role,
        form_points.is_citizen_rated,
        form_points.staff_id,
        scores.score,
        scores.is_prorated,
        scores.no_score_reason,
        scores.n_items_missing,
        scores.band,
        scores.cutoff,
        scores.is_clinical,
        scores.is_baseline,
        scores.baseline_score,
        scores.change_since_start,
        scores.change_since_last,
        scores.improvement_since_start,
        scores.reliable_change_points,
        scores.rci,
        scores.rci_class
    from scores
    inner join instruments on scores.instrument_id = instruments.instrument_id
    inner join form_points on scores.form_id = form_points.form_id
    inner join courses on scores.course_id = courses.course_id
)

select * from final
