-- model: int_scale_scores
-- grain: one row per form and scale: the scores of staging.measurements forms
--   (int_form_scores) together with the GAS T-scores computed from goal ratings
--   (int_goal_scores, scale 'total').
-- incremental: course_id
-- What counts as a GAS measurement (the one rule; docs/decks.md repeats it): a form of
--   the goal instrument, or a date on which the course's goals were rated and no such
--   form exists that day. So an interim goal rating between two GAS forms becomes a GAS
--   point too, and the goal table and the GAS figure tell one story; a form and ratings
--   on the same day are counted once (the form), and that form's total is the T-score of
--   the goal ratings (int_goal_scores, with the goals' weights): scored from its items
--   with equal weights, the same levels would give another T-score wherever the weights
--   differ, and the course would seem to change between a form and a later rating with
--   every goal at the same level. A form on a day without ratings keeps its own score.
-- materialized: temporary
-- columns:
--   form_id: form id (goal-rating scores: 'goals:<course_id>:<date>')
--   score_source: form | goal_ratings
--   course_id: course id
--   instrument_id: instrument id
--   scale_id: 'total' or a subscale id
--   is_total: true for the total score
--   measured_on: date of the form or rating
--   staff_id: staff member who collected or rated
--   rater_role: citizen | staff | parent | teacher
--   is_citizen_rated: true when the citizen rated
--   n_items_expected: items (goals) in the scale
--   n_items_answered: items (goals) with a valid answer
--   n_items_missing: items missing or out of range
--   is_prorated: true when scored with some items missing
--   score: the scale score (NULL when not scored); a goal-instrument form's total on a
--     day the course's goals were rated: the goal ratings' T-score
--   no_score_reason: no_items_answered | too_many_missing | NULL when scored

with

form_scores as (
    select * from int_form_scores
),

goal_scores as (
    select * from int_goal_scores
),

instruments as (
    select * from ref.instruments
),

-- the goal ratings' T-score per course and day, the key of the lookup only (a join on
-- equalities alone: with is_total in the join condition this model took 5.6 s at 15 000
-- courses, against under 0.3 s so)
goal_days as (
    select
        course_id,
        rated_on,
        instrument_id,
        t_score
    from goal_scores
),

from_forms as (
    select
        form_scores.form_id,
        'form' as score_source,
        form_scores.course_id,
        form_scores.instrument_id,
        form_scores.scale_id,
        form_scores.is_total,
        form_scores.measured_on,
        form_scores.staff_id,
        form_scores.rater_role,
        form_scores.is_citizen_rated,
        form_scores.n_items_expected,
        form_scores.n_items_answered,
        form_scores.n_items_missing,
        form_scores.is_prorated,
        case
            when form_scores.is_total and goal_days.t_score is not null
                then goal_days.t_score
            else form_scores.score
        end as score,
        case
            when not (form_scores.is_total and goal_days.t_score is not null)
                then form_scores.no_score_reason
        end as no_score_reason
    from form_scores
    left join goal_days
        on
            form_scores.course_id = goal_days.course_id
            and form_scores.measured_on = goal_days.rated_on
            and form_scores.instrument_id = goal_days.instrument_id
),

goal_form_days as (
    select distinct
        form_scores.course_id,
        form_scores.measured_on
    from form_scores
    inner join instruments on form_scores.instrument_id = instruments.instrument_id
    where instruments.is_goal_instrument
),

from_goals as (
    select
        goal_scores.form_id,
        'goal_ratings' as score_source,
        goal_scores.course_id,
        goal_scores.instrument_id,
        'total' as scale_id,
        true as is_total,
        goal_scores.rated_on as measured_on,
        goal_scores.staff_id,
        instruments.rater as rater_role,
        instruments.rater = 'citizen' as is_citizen_rated,
        goal_scores.n_goals as n_items_expected,
        goal_scores.n_goals as n_items_answered,
        0 as n_items_missing,
        false as is_prorated,
        goal_scores.t_score as score,
        null as no_score_reason
    from goal_scores
    inner join instruments on goal_scores.instrument_id = instruments.instrument_id
    anti join goal_form_days
        on
            goal_scores.course_id = goal_form_days.course_id
            and goal_scores.rated_on = goal_form_days.measured_on
),

final as (
    select * from from_forms
    union all by name
    select * from from_goals
)

select * from final
