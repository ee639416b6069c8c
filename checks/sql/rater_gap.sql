-- rule: rater_gap
-- table: int_scores
-- checked: chk_rater_gap
-- figures: mart_citizen_progression
-- description: The citizen's own ratings and the staff's ratings of the same course tell
--   different stories: their improvements (in baseline SD units) differ by at least
--   rater_gap_sd (method in checks/sql/base/chk_rater_gap.sql). Not an error in the data:
--   a topic for the citizen-level meeting.
-- fix: Talk with the citizen about how they see their progress compared with the staff.

with

gaps as (
    select * from chk_rater_gap
),

final as (
    select
        'rater_gap' as rule_id,
        chk_severity('rater_gap') as severity,
        'int_scores' as table_name,
        intervention_id,
        team_id,
        staff_id,
        course_id,
        measured_on as event_date,
        gap as observed,
        'citizen-rated (' || citizen_instruments || ') improvement '
        || round(citizen_improvement, 2) || ' SD vs staff-rated (' || staff_instruments || ') '
        || round(staff_improvement, 2) || ' SD' as reason
    from gaps
    where is_large
)

select * from final
