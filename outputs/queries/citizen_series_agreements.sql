-- Every agreement about a citizen made at the series' previous meeting by its calendar
-- (the "since last time" slide that opens the citizen pack), also about citizens not on
-- today's agenda. Parameters: $meeting_id, $meeting_date, $last_meeting (the series'
-- meeting before this one by the calendar: its agreements only, none when none came
-- back, so a file dated on another day never hides them; NULL: the latest meeting
-- before this one with agreements).
with

earlier as (
    select
        *,
        dense_rank() over (order by agreed_on desc) as meeting_rank
    from mart_citizen_agreements
    where
        meeting_id = $meeting_id
        and agreed_on < $meeting_date
        and ($last_meeting is null or agreed_on = $last_meeting)
)

select
    course_id,
    citizen_id,
    agreed_on,
    agreement_text,
    owner,
    follow_up_on,
    indicator,
    status
from earlier
where meeting_rank = 1
order by course_id, follow_up_on nulls last, agreement_text
