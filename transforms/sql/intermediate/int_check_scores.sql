-- model: int_check_scores
-- grain: one row per scored form total (int_scores: is_total, score not NULL), with who
--   rated it and the instrument's facts. What the checks' chk_scores reads
--   (checks/sql/base), kept up to date by the build.
-- incremental: course_id
-- Goal-rating T-scores (no row in int_forms: score_source goal_ratings) are included,
--   without staff member.
-- columns:
--   form_id: form id
--   course_id: course id
--   intervention_id: intervention id
--   team_id: the course's team
--   instrument_id: instrument id
--   measured_on: date of the form
--   staff_id: staff member who collected the form (NULL for goal ratings)
--   rater_role: citizen | staff | parent | teacher (NULL for goal ratings)
--   is_citizen_rated: true when the citizen rated (NULL for goal ratings)
--   point_id: assigned measurement point (NULL when unplanned)
--   score: the total score
--   is_baseline: true for the course's first scored form of this instrument
--   improvement_since_start: change since the baseline x direction_sign (> 0 = better)
--   reliable_change_points: points a change must reach to be reliable (NULL if unknown)
--   instrument_kind: validated | dialogue | fidelity
--   score_source: form | goal_ratings
--   point_key: point_id, or 'unplanned' for a form assigned to no point
--   is_latest_follow_up: true for the course's latest (by date, then form id) form total
--     after the baseline of each validated instrument (rule rater_gap compares these)
--   previous_score: the form total of the same course and instrument just before this
--     one (by date, then form id; rule implausible_jump compares them); NULL for the
--     first form and for goal ratings
--   previous_form_id: that form's id
--   previous_on: that form's date

with

scores as (
    select * from int_scores
),

forms as (
    select * from int_forms
),

courses as (
    select * from staging.courses
),

instruments as (
    select * from ref.instruments
),

final_rows as (
    select
        scores.form_id,
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
        case when forms.form_id is null then 'goal_ratings' else 'form' end as score_source,
        coalesce(scores.point_id, 'unplanned') as point_key
    from scores
    inner join courses on scores.course_id = courses.course_id
    inner join instruments on scores.instrument_id = instruments.instrument_id
    left join forms on scores.form_id = forms.form_id
    where scores.is_total and scores.score is not null
),

latest as (
    select
        *,
        coalesce(
            instrument_kind = 'validated' and score_source = 'form' and not is_baseline,
            false
        ) as is_follow_up
    from final_rows
)

select
    * exclude (is_follow_up),
    is_follow_up
    and row_number() over (
        partition by course_id, instrument_id, is_follow_up
        order by measured_on desc, form_id desc
    ) = 1 as is_latest_follow_up,
    case when score_source = 'form' then lag(score) over previous end as previous_score,
    case when score_source = 'form' then lag(form_id) over previous end as previous_form_id,
    case when score_source = 'form' then lag(measured_on) over previous end as previous_on
from latest
window previous as (
    partition by course_id, instrument_id, score_source
    order by measured_on, form_id
)
