-- Agreements from earlier meetings for the courses on the agenda: everything agreed at
-- the course's latest earlier meeting, plus anything still open from before, unless
-- the latest meeting agreed it again (the same text, case and outer blanks aside): then
-- only the latest shows. is_from_last: agreed at the course's latest earlier meeting.
-- Parameters: $course_ids, $meeting_date.
with

earlier as (
    select
        *,
        dense_rank() over (partition by course_id order by agreed_on desc) as meeting_rank
    from mart_citizen_agreements
    where list_contains($course_ids, course_id) and agreed_on < $meeting_date
),

agreed_last as (
    select
        course_id,
        lower(trim(agreement_text)) as agreement_key
    from earlier
    where meeting_rank = 1
),

final as (
    select * from earlier
    where
        meeting_rank = 1
        or (
            coalesce(status, 'open') = 'open'
            and not exists (
                select 1 from agreed_last
                where
                    agreed_last.course_id = earlier.course_id
                    and agreed_last.agreement_key = lower(trim(earlier.agreement_text))
            )
        )
)

select
    course_id,
    agreed_on,
    agreement_text,
    owner,
    follow_up_on,
    indicator,
    status,
    is_follow_up_overdue,
    meeting_rank = 1 as is_from_last
from final
order by course_id, agreed_on, follow_up_on nulls last
