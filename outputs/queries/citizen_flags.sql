-- Expected course and off-course flags of the courses on the agenda (outcome
-- instruments, every scored point). Parameters: $course_ids.
select
    course_id,
    instrument_id,
    point_id,
    measured_on,
    score,
    expected_score,
    band_edge_score,
    flag,
    flag_rule,
    flag_reason,
    fallback_reason,
    is_latest_point,
    course_flag
from mart_citizen_course_flags
where list_contains($course_ids, course_id)
order by course_id, instrument_id, point_order, occurrence_no
