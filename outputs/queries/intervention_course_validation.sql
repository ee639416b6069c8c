-- The time-split validation of the off-course signals of one intervention
-- (mart_expected_course_validation). Parameters: $intervention_id.
select
    instrument_id,
    split_on,
    is_suppressed,
    n_test_courses,
    n_non_improvers,
    n_non_improvers_flagged,
    share_non_improvers_flagged,
    n_improvers,
    n_false_alarms,
    share_false_alarms,
    n_late_improvers,
    n_late_improvers_missed
from mart_expected_course_validation
where intervention_id = $intervention_id
order by instrument_id
