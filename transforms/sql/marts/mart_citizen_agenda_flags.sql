-- model: mart_citizen_agenda_flags
-- grain: one row per open course: the reasons to talk about the citizen at the next
--   citizen-level meeting (config agenda.priorities picks is_<id> columns, in order;
--   docs/loop.md). Not suppressed: for staff on the course.
-- key: course_id
-- columns:
--   course_id: course id
--   citizen_id: pseudonymised citizen id
--   intervention_id: intervention id
--   team_id: team id
--   start_date: course start
--   last_measured_on: date of the latest form
--   last_agreed_on: date of the latest meeting that made an agreement about the course
--   is_off_course: true when the course is off its expected course now (course_flag red
--     or amber in mart_citizen_course_flags; docs/expected_course.md)
--   is_off_course_red: true when the course's worst flag now is red (below the tolerance
--     band, or a reliable deterioration)
--   is_off_course_amber: true when the course's worst flag now is amber (below the
--     expected score, inside the band)
--   is_deteriorated: true when the latest score of an instrument is a reliable
--     deterioration since the start
--   is_low_alliance: true when the latest score on the alliance instrument
--     (agenda.alliance_instrument) is on the clinical side of its cut-off
--   is_overdue: true when a planned measurement is overdue
--   is_long_course: true when the course has run longer than agenda.long_course_days
--   is_open_agreement: true when an agreement about the course is still open
--   is_agreement_overdue: true when an open agreement about the course is past its
--     follow-up date (mart_citizen_agreements.is_follow_up_overdue)

with

signals as (
    select * from int_agenda_signals
),

course_flags as (
    select * from mart_citizen_course_flags
),

off_course as (
    select
        course_id,
        bool_or(course_flag = 'red') as is_red
    from course_flags
    where course_flag in ('red', 'amber')
    group by course_id
),

overdue_agreements as (
    select distinct course_id
    from mart_citizen_agreements
    where is_follow_up_overdue
),

flagged as (
    select
        signals.*,
        overdue_agreements.course_id is not null as is_agreement_overdue,
        off_course.course_id is not null as is_off_course,
        coalesce(off_course.is_red, false) as is_off_course_red,
        coalesce(not off_course.is_red, false) as is_off_course_amber
    from signals
    left join off_course on signals.course_id = off_course.course_id
    left join overdue_agreements on signals.course_id = overdue_agreements.course_id
),

final as (
    select
        flagged.course_id,
        flagged.citizen_id,
        flagged.intervention_id,
        flagged.team_id,
        flagged.start_date,
        flagged.last_measured_on,
        flagged.last_agreed_on,
        flagged.is_off_course,
        flagged.is_off_course_red,
        flagged.is_off_course_amber,
        flagged.is_deteriorated,
        flagged.is_low_alliance,
        flagged.is_overdue,
        flagged.is_long_course,
        flagged.is_open_agreement,
        flagged.is_agreement_overdue
    from flagged
)

select * from final
