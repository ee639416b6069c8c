-- model: mart_citizen_alliance_signals
-- grain: one row per course and scored primary form of the alliance instrument
--   (ref.expected_course_settings.alliance_instrument, SRS by default).
-- incremental: course_id
-- The alliance is a conversation about the collaboration, never a score of the worker:
--   a signal is a reason to talk. Signal when the score is below the instrument's
--   cut-off (norm group of the intervention) or has fallen at least
--   alliance_drop_points since the previous form. Not suppressed: for staff on the course.
-- columns:
--   course_id: course id
--   citizen_id: pseudonymised citizen id
--   intervention_id: intervention id
--   instrument_id: the alliance instrument
--   point_id: measurement point (NULL when unplanned)
--   measured_on: date of the form
--   score: total score
--   previous_score: score of the previous form (NULL at the first)
--   cutoff: alert cut-off of the norm group
--   is_below_cutoff: true when the score is on the alert side of the cut-off
--   is_drop: true when the score fell at least alliance_drop_points since last time
--   is_alliance_signal: true when below the cut-off or dropped
--   is_latest: true for the course's latest alliance form

with

scores as (
    select * from int_scores
),

settings as (
    select * from ref.expected_course_settings
),

alliance as (
    select
        scores.course_id,
        scores.citizen_id,
        scores.intervention_id,
        scores.instrument_id,
        scores.point_id,
        scores.measured_on,
        scores.form_id,
        scores.score,
        scores.previous_score,
        scores.cutoff,
        coalesce(scores.is_clinical, false) as is_below_cutoff,
        coalesce(
            (scores.previous_score - scores.score) * (
                case when scores.direction = 'higher_is_better' then 1 else -1 end
            ) >= settings.alliance_drop_points,
            false
        ) as is_drop
    from scores
    inner join settings on scores.instrument_id = settings.alliance_instrument
    where scores.is_total and scores.score is not null
),

final as (
    select
        course_id,
        citizen_id,
        intervention_id,
        instrument_id,
        point_id,
        measured_on,
        score,
        previous_score,
        cutoff,
        is_below_cutoff,
        is_drop,
        is_below_cutoff or is_drop as is_alliance_signal,
        row_number() over (
            partition by course_id order by measured_on desc, form_id desc
        ) = 1 as is_latest
    from alliance
)

select * from final
