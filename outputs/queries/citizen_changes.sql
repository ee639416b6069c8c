-- What happened between two data cut-offs in a team's intervention (or, with
-- $team_id NULL, the whole intervention): one row per event; the deck counts them.
-- Parameters: $team_id, $intervention_id, $since (excluded), $until (included).
select
    course_id,
    citizen_id,
    event_on,
    event_kind,
    event_ref
from mart_citizen_events
where
    intervention_id = $intervention_id
    and ($team_id is null or team_id = $team_id)
    and event_on > $since
    and event_on <= $until
order by event_on, course_id, event_kind
