-- model: mart_citizen_course_flags
-- grain: one row per course, outcome instrument and scored measurement point occurrence:
--   the citizen's score against the expected course (fitted on every closed course of
--   the organisation) with the off-course flag and its reason (rules: int_course_flags).
--   Not suppressed: for staff on the course.
-- incremental: course_id
-- materialized: view
-- A signal is judged at every point, not once: is_latest_point marks the flag that is
--   live now; course_flag is the worst live flag over the course's outcome instruments
--   (red before amber before green), used to put flagged citizens first on the agenda.
-- columns:
--   course_id: course id
--   citizen_id: pseudonymised citizen id
--   intervention_id: intervention id
--   team_id: team delivering the course
--   case_status: open | closed_planned | closed_unplanned
--   instrument_id: instrument id
--   point_id: measurement point id
--   point_order: order of the point in the plan
--   occurrence_no: occurrence of a repeating point (0 otherwise)
--   is_intake_point: true at the instrument's first planned point (no flag there)
--   measured_on: date of the form
--   score: total score
--   intake_score: score at the instrument's first planned point
--   expected_score: expected score for this intake at this point
--   band_edge_score: edge of the tolerance band on the worse side
--   n_reference_courses: closed reference courses behind the point's fit
--   flag: red | amber | green (NULL at the intake point or without a rule)
--   flag_rule: expected_course | reliable_change (the fallback)
--   flag_reason: below_band | reliable_deterioration | below_expected |
--     at_or_above_expected | no_reliable_change | reliable_improvement | no_rule | intake
--   fallback_reason: few_reference_courses | no_intake (NULL under the expected course)
--   is_latest_point: true for the course's last scored point of the instrument
--   course_flag_rank: 1 red, 2 amber, 3 green or no flag (agenda order)
--   course_flag: worst flag at the latest points of the course's outcome instruments

with

flags as (
    select * from int_course_flags
    where fit_set = 'all'
),

final as (
    select
        course_id,
        citizen_id,
        intervention_id,
        team_id,
        case_status,
        instrument_id,
        point_id,
        point_order,
        occurrence_no,
        is_intake_point,
        measured_on,
        score,
        intake_score,
        expected_score,
        band_edge_score,
        n_reference_courses,
        flag,
        flag_rule,
        flag_reason,
        fallback_reason,
        is_last_point as is_latest_point,
        course_flag_rank,
        case course_flag_rank
            when 1 then 'red' when 2 then 'amber' else 'green'
        end as course_flag
    from flags
)

select * from final
