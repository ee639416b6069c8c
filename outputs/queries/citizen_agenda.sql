-- Citizens on the agenda of a citizen-level meeting: the team's open courses in the
-- intervention, most recently measured first (a course with fresh data is the one to
-- talk about). Parameters: $team_id, $intervention_id, $max_citizens.
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
order by last_measured_on desc nulls last, start_date, course_id
limit $max_citizens
