-- Candidates for the agenda of a citizen-level meeting: the team's open courses in the
-- intervention with every reason to talk about them (mart_citizen_agenda_flags); the
-- priorities of the config pick from these in order (outputs/agenda.py), the rest come
-- up in rotation. Parameters: $team_id, $intervention_id.
select
    flags.*,
    courses.intervention_name,
    courses.case_status
from mart_citizen_agenda_flags as flags
inner join mart_citizen_courses as courses on flags.course_id = courses.course_id
where
    flags.team_id = $team_id
    and flags.intervention_id = $intervention_id
order by flags.course_id
