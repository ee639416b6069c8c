-- The agreement rows refused when the files of the series' latest meeting before this
-- one (or of $agreed_on, the meeting the "since last time" slide lists) came back, and
-- the rows of a file dated after it on a day that is no meeting of the series (rule
-- agreement_meeting_date: the leader mistyped Mødedato): the short list under "since
-- last time". Parameters: $meeting_id, $meeting_date, $agreed_on (NULL: the latest
-- meeting with a refused row).
with

earlier as (
    select
        *,
        dense_rank() over (order by agreed_on desc) as meeting_rank
    from mart_refused_agreements
    where
        meeting_id = $meeting_id
        and agreed_on < $meeting_date
),

final as (
    select * from earlier
    where
        ($agreed_on is null and meeting_rank = 1)
        or agreed_on = $agreed_on
        or (
            agreed_on > $agreed_on
            and list_contains(rules, 'agreement_meeting_date')
        )
)

select
    agreed_on,
    file_name,
    row_no,
    row_location,
    rules,
    reasons,
    refused_values
from final
order by agreed_on, file_name, row_no
