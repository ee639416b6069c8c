-- Findings of the latest quality run about forms measured, or courses started, between
-- two data cut-offs in a team's intervention ($team_id NULL: all teams).
-- Parameters: $team_id, $intervention_id, $since (excluded), $until (included).
with

latest_run as (
    select run_id
    from quality.runs
    where scope_kind = 'organisation'
    order by started_at desc
    limit 1
),

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
inner join latest_run on failures.run_id = latest_run.run_id
where
    failures.course_id in (select events.course_id from events)
    and (failures.form_id is null or failures.form_id in (select events.event_ref from events))
order by failures.rule_id, failures.course_id
