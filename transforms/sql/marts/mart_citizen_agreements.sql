-- model: mart_citizen_agreements
-- grain: one row per agreement recorded at a meeting (staging.agreements) that names a
--   course, with the course's case status; "since last time" lists for citizen meetings.
-- incremental: course_id
-- columns:
--   course_id: course id
--   citizen_id: pseudonymised citizen id (NULL if the course is unknown)
--   intervention_id: intervention id
--   team_id: team id
--   case_status: open | closed_planned | closed_unplanned
--   meeting_id: meeting the agreement was made at
--   agreed_on: date of the meeting
--   agreement_text: what was agreed (CPR numbers masked)
--   owner: who carries it out
--   follow_up_on: when it is followed up
--   indicator: how we will see it in the data (may name an instrument)
--   status: open | done | dropped
--   is_follow_up_overdue: true when open and follow_up_on is before as_of_date

with

agreements as (
    select * from staging.agreements
),

courses as (
    select * from int_courses
),

settings as (
    select * from ref.settings
),

final as (
    select
        agreements.course_id,
        courses.citizen_id,
        courses.intervention_id,
        courses.team_id,
        courses.case_status,
        agreements.meeting_id,
        agreements.agreed_on,
        agreements.text as agreement_text,
        agreements.owner,
        agreements.follow_up_on,
        agreements.indicator,
        agreements.status,
        coalesce(
            coalesce(agreements.status, 'open') = 'open'
            and agreements.follow_up_on < settings.as_of_date,
            false
        ) as is_follow_up_overdue
    from agreements
    left join courses on agreements.course_id = courses.course_id
    cross join settings
    where agreements.course_id is not null
)

select * from final
