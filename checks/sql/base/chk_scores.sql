-- view: chk_scores
-- materialize: true
-- grain: one row per scored form total (int_scores: is_total, score not NULL) of a
--   course in the run's scope, with who rated it and the instrument's facts.
-- Goal-rating T-scores (no row in int_forms: score_source goal_ratings) are included,
--   without staff member. The export row of a failing form is filled in by the runner
--   (from chk_forms).
-- columns: from int_scores: form_id, course_id, intervention_id, instrument_id,
--   measured_on, point_id, score, is_baseline, improvement_since_start,
--   reliable_change_points; plus
--   score_source: form | goal_ratings
--   team_id: the course's team
--   staff_id, rater_role, is_citizen_rated: from int_forms (NULL for goal ratings)
--   instrument_kind: validated | dialogue | fidelity
--   point_key: point_id, or 'unplanned' for a form assigned to no point

with

scores as (
    select * from int_scores
),

forms as (
    select * from int_forms
),

courses as (
    select * from chk_courses
),

instruments as (
    select * from ref.instruments
),

final as (
    select
        scores.form_id,
        case when forms.form_id is null then 'goal_ratings' else 'form' end as score_source,
        scores.course_id,
        scores.intervention_id,
        courses.team_id,
        scores.instrument_id,
        scores.measured_on,
        forms.staff_id,
        forms.rater_role,
        forms.is_citizen_rated,
        scores.point_id,
        scores.score,
        scores.is_baseline,
        scores.improvement_since_start,
        scores.reliable_change_points,
        instruments.kind as instrument_kind,
        coalesce(scores.point_id, 'unplanned') as point_key
    from scores
    inner join courses on scores.course_id = courses.course_id
    inner join instruments on scores.instrument_id = instruments.instrument_id
    left join forms on scores.form_id = forms.form_id
    where scores.is_total and scores.score is not null
)

select * from final
