-- rule: implausible_jump
-- table: int_scores
-- checked: chk_scores
-- figures: mart_progression_by_point, mart_reliable_change_by_quarter, mart_citizen_progression
-- description: The total score changes between two adjacent forms of a course (same
--   instrument) by more than jump_rc_multiple times the instrument's reliable change
--   (int_scores.reliable_change_points: published, or 1.96 x S_diff). The later form is
--   listed. Instruments without reliable-change parameters are not checked.
-- fix: Check both forms for typing errors or a mixed-up citizen; if the change is real,
--   note what happened in the course.

with

scores as (  -- each with the previous form total of its course and instrument (build)
    select * from chk_scores
    where score_source = 'form'
),

params as (
    select * from chk_params
),

final as (
    select
        'implausible_jump' as rule_id,
        chk_severity('implausible_jump') as severity,
        'int_scores' as table_name,
        scores.intervention_id,
        scores.team_id,
        scores.staff_id,
        scores.course_id,
        scores.form_id,
        scores.instrument_id,
        scores.point_id,
        scores.measured_on as event_date,
        scores.score - scores.previous_score as observed,
        'total ' || round(scores.score, 2) || ' after ' || round(scores.previous_score, 2)
        || ' on ' || strftime(scores.previous_on, '%Y-%m-%d') || ' (form '
        || scores.previous_form_id || '): a change of '
        || round(scores.score - scores.previous_score, 2) || ' points, more than '
        || params.jump_rc_multiple || ' x the reliable change of '
        || round(scores.reliable_change_points, 2) || ' points' as reason
    from scores
    cross join params
    where
        scores.previous_score is not null
        and scores.reliable_change_points is not null
        and abs(scores.score - scores.previous_score)
        > params.jump_rc_multiple * scores.reliable_change_points
)

select * from final
