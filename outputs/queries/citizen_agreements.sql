-- Agreements from earlier meetings for the courses on the agenda: everything agreed at
-- the course's latest earlier meeting, plus anything still open from before.
-- Parameters: $course_ids, $meeting_date.
with

earlier as (
    select
        *,
        dense_rank() over (partition by course_id order by agreed_on desc) as meeting_rank
    from mart_citizen_agreements
    where list_contains($course_ids, course_id) and agreed_on < $meeting_date
),

final as (
    select * from earlier
    where meeting_rank = 1 or coalesce(status, 'open') = 'open'
)

select
    course_id,
    agreed_on,
    agreement_text,
    owner,
    follow_up_on,
    indicator,
    status,
    is_follow_up_overdue
from final
order by course_id, agreed_on, follow_up_on nulls last
