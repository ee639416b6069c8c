-- model: mart_citizen_events
-- grain: one row per event on a course: a scored form, a reliable change, a goal
--   reached, a course started or ended; the "since last time" summary counts the events
--   between two meetings' data cut-offs. Not suppressed: for staff on the course (the
--   intervention pack hides counts below k itself).
-- incremental: course_id
-- columns:
--   course_id: course id
--   citizen_id: pseudonymised citizen id
--   intervention_id: intervention id
--   team_id: team id
--   event_on: date of the event
--   event_kind: measurement | reliable_improvement | reliable_deterioration |
--     goal_reached | course_started | course_ended
--   event_ref: the form, goal or course the event is about

with

progression as (
    select * from mart_citizen_progression
),

goals as (
    select * from mart_citizen_goals
),

courses as (
    select * from mart_citizen_courses
),

forms as (
    select distinct
        course_id,
        citizen_id,
        intervention_id,
        team_id,
        measured_on as event_on,
        'measurement' as event_kind,
        form_id as event_ref
    from progression
    where scale_id = 'total' and score is not null and measured_on is not null
),

reliable_changes as (
    select
        course_id,
        citizen_id,
        intervention_id,
        team_id,
        measured_on as event_on,
        case
            when rci_class = 'reliably_deteriorated' then 'reliable_deterioration'
            else 'reliable_improvement'
        end as event_kind,
        form_id as event_ref
    from progression
    where
        scale_id = 'total'
        and rci_class in ('recovered', 'reliably_improved', 'reliably_deteriorated')
        and not coalesce(is_baseline, false)
),

goals_reached as (
    select
        course_id,
        citizen_id,
        intervention_id,
        team_id,
        latest_on as event_on,
        'goal_reached' as event_kind,
        goal_id as event_ref
    from goals
    where category in ('progression_reached', 'maintenance_reached')
),

starts as (
    select
        course_id,
        citizen_id,
        intervention_id,
        team_id,
        start_date as event_on,
        'course_started' as event_kind,
        course_id as event_ref
    from courses
    where start_date is not null
),

ends as (
    select
        course_id,
        citizen_id,
        intervention_id,
        team_id,
        end_date as event_on,
        'course_ended' as event_kind,
        course_id as event_ref
    from courses
    where end_date is not null
),

final as (
    select * from forms
    union all
    select * from reliable_changes
    union all
    select * from goals_reached
    union all
    select * from starts
    union all
    select * from ends
)

select * from final
