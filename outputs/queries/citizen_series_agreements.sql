-- Every agreement about a citizen made at the series' latest meeting before this one
-- (the "since last time" slide that opens the citizen pack).
-- Parameters: $meeting_id, $meeting_date.
with

earlier as (
    select
        *,
        dense_rank() over (order by agreed_on desc) as meeting_rank
    from mart_citizen_agreements
    where meeting_id = $meeting_id and agreed_on < $meeting_date
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
