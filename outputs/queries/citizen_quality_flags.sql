-- Findings of a quality run (the one the deck reads: its gate's) about forms measured,
-- or courses started, between two data cut-offs in a team's intervention ($team_id NULL:
-- all teams).
-- Parameters: $run_id, $team_id, $intervention_id, $since (excluded), $until (included).
with

events as (
    select * from mart_citizen_events
    where
        intervention_id = $intervention_id
        and ($team_id is null or team_id = $team_id)
        and event_on > $since
        and event_on <= $until
        and event_kind in ('measurement', 'course_started')
)

select
    failures.rule_id,
    failures.severity,
    failures.course_id,
    failures.form_id
from quality.failures as failures
where
    failures.run_id = $run_id
    and failures.course_id in (select events.course_id from events)
    and (failures.form_id is null or failures.form_id in (select events.event_ref from events))
order by failures.rule_id, failures.course_id
