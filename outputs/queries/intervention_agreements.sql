-- Team-level agreements of the intervention meeting series, from its latest earlier
-- meeting plus any still open. No mart carries meeting-level agreements (course_id NULL)
-- yet, so this reads the meeting records in staging.agreements directly.
-- Parameters: $meeting_id, $meeting_date.
with

earlier as (
    select * from staging.agreements
    where meeting_id = $meeting_id and course_id is null and agreed_on < $meeting_date
),

final as (
    select * from earlier
    where
        agreed_on = (select max(agreed_on) from earlier)
        or coalesce(status, 'open') = 'open'
)

select
    agreed_on,
    text as agreement_text,
    owner,
    follow_up_on,
    status,
    coalesce(coalesce(status, 'open') = 'open' and follow_up_on < $meeting_date, false)
        as is_follow_up_overdue
from final
order by agreed_on, follow_up_on nulls last
