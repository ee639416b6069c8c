-- Agreements from earlier meetings for the courses on the agenda: everything agreed at
-- the course's latest earlier meeting, plus anything still open from before.
-- Parameters: $course_ids, $meeting_date.
with

earlier as (
    select * from mart_citizen_agreements
    where list_contains($course_ids, course_id) and agreed_on < $meeting_date
),

last_meeting as (
    select course_id, max(agreed_on) as agreed_on from earlier group by course_id
),

final as (
    select earlier.*
    from earlier
    inner join last_meeting on earlier.course_id = last_meeting.course_id
    where earlier.agreed_on = last_meeting.agreed_on or coalesce(earlier.status, 'open') = 'open'
)

select
    course_id,
    agreed_on,
    agreement_text,
    owner,
    follow_up_on,
    status,
    is_follow_up_overdue
from final
order by course_id, agreed_on, follow_up_on nulls last
