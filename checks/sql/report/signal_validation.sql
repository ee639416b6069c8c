-- The off-course signals' time-split validation per intervention and instrument
-- (mart_expected_course_validation), for the quality report. Hidden rows keep their
-- keys; their counts and shares are NULL.
select
    intervention_id,
    instrument_id,
    split_on,
    n_test_courses as n_test,
    share_non_improvers_flagged as hit_rate,
    share_false_alarms as false_alarm_rate,
    n_late_improvers,
    n_late_improvers_missed as n_late_missed
from mart_expected_course_validation
order by intervention_id, instrument_id
