-- model: mart_meeting_agreements
-- grain: one row per agreement recorded at a meeting (staging.agreements) that names no
--   course: what a team agreed for the whole intervention; "since last time" lists for
--   intervention meetings (per-course agreements: mart_citizen_agreements).
-- columns:
--   meeting_id: meeting the agreement was made at
--   agreed_on: date of the meeting
--   agreement_text: what was agreed (CPR numbers masked)
--   owner: who carries it out
--   follow_up_on: when it is followed up
--   indicator: how we will see it in the data (may name an instrument)
--   status: open | done | dropped (NULL: open)
--   is_open: true when the agreement is neither done nor dropped

with

agreements as (
    select * from staging.agreements
),

final as (
    select
        meeting_id,
        agreed_on,
        text as agreement_text,
        owner,
        follow_up_on,
        indicator,
        status,
        coalesce(status, 'open') = 'open' as is_open
    from agreements
    where course_id is null
)

select * from final
