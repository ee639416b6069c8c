-- The agreement rows refused when the files of the series' latest meeting before this
-- one (or of $agreed_on, the meeting the "since last time" slide lists) came back: the
-- short list under "since last time". Parameters: $meeting_id, $meeting_date, $agreed_on
-- (NULL: the latest meeting with a refused row).
with

earlier as (
    select
        *,
        dense_rank() over (order by agreed_on desc) as meeting_rank
    from mart_refused_agreements
    where
        meeting_id = $meeting_id
        and agreed_on < $meeting_date
        and ($agreed_on is null or agreed_on = $agreed_on)
)

select
    agreed_on,
    file_name,
    row_no,
    row_location,
    rules,
    reasons,
    refused_values
from earlier
where meeting_rank = 1
order by file_name, row_no
