-- Team-level agreements of the intervention meeting series, from its previous meeting by
-- the calendar plus any still open. Parameters: $meeting_id, $meeting_date,
-- $last_meeting (the series' meeting before this one by the calendar; NULL: the latest
-- earlier meeting with agreements).
with

earlier as (
    select
        *,
        dense_rank() over (order by agreed_on desc) as meeting_rank
    from mart_meeting_agreements
    where meeting_id = $meeting_id and agreed_on < $meeting_date
),

final as (
    select * from earlier
    where
        is_open
        or (
            case
                when $last_meeting is null then meeting_rank = 1
                else agreed_on = $last_meeting
            end
        )
)

select
    agreed_on,
    agreement_text,
    owner,
    follow_up_on,
    indicator,
    status,
    coalesce(is_open and follow_up_on < $meeting_date, false) as is_follow_up_overdue
from final
order by agreed_on, follow_up_on nulls last
