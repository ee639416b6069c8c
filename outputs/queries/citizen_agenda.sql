-- Citizens on the agenda of a citizen-level meeting: the team's open courses in the
-- intervention, off-course first (course_flag red, then amber: mart_citizen_course_flags),
-- then most recently measured first (a course with fresh data is the one to talk about).
-- Parameters: $team_id, $intervention_id, $max_citizens.
select
    course_id,
    citizen_id,
    intervention_name,
    start_date,
    case_status
from mart_citizen_courses
where
    team_id = $team_id
    and intervention_id = $intervention_id
    and case_status = 'open'
order by
    coalesce(
        (
            select f.course_flag_rank from mart_citizen_course_flags as f
            where f.course_id = mart_citizen_courses.course_id
            limit 1
        ),
        3
    ),
    last_measured_on desc nulls last,
    start_date,
    course_id
limit $max_citizens
