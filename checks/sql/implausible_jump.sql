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

scores as (
    select * from chk_scores
    where score_source = 'form'
),

params as (
    select * from chk_params
),

ordered as (  -- the previous form total of the course and instrument: from the build
    select * from scores
),

final as (
    select
        'implausible_jump' as rule_id,
        chk_severity('implausible_jump') as severity,
        'int_scores' as table_name,
        ordered.intervention_id,
        ordered.team_id,
        ordered.staff_id,
        ordered.course_id,
        ordered.form_id,
        ordered.instrument_id,
        ordered.point_id,
        ordered.measured_on as event_date,
        ordered.score - ordered.previous_score as observed,
        'total ' || round(ordered.score, 2) || ' after ' || round(ordered.previous_score, 2)
        || ' on ' || strftime(ordered.previous_on, '%Y-%m-%d') || ' (form '
        || ordered.previous_form_id || '): a change of '
        || round(ordered.score - ordered.previous_score, 2) || ' points, more than '
        || params.jump_rc_multiple || ' x the reliable change of '
        || round(ordered.reliable_change_points, 2) || ' points' as reason
    from ordered
    cross join params
    where
        ordered.previous_score is not null
        and ordered.reliable_change_points is not null
        and abs(ordered.score - ordered.previous_score)
        > params.jump_rc_multiple * ordered.reliable_change_points
)

select * from final
