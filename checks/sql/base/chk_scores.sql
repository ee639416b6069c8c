-- view: chk_scores
-- grain: one row per scored form total (int_scores: is_total, score not NULL) of a
--   course in the run's scope, with who rated it and the instrument's facts: the
--   build's int_check_scores (kept up to date there).
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
--   is_latest_follow_up: the course's latest validated form total after the baseline,
--     per instrument (chk_rater_gap)

with

scores as (
    select * from int_check_scores
),

final as (
    select scores.*
    from scores
    where chk_in_scope(scores.intervention_id, scores.team_id)
)

select * from final
