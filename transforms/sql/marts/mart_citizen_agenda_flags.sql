-- model: mart_citizen_agenda_flags
-- grain: one row per open course: the reasons to talk about the citizen at the next
--   citizen-level meeting (config agenda.priorities picks is_<id> columns, in order;
--   docs/loop.md). Not suppressed: for staff on the course.
-- incremental: course_id
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
--   is_deteriorated: true when the latest score of an instrument is a reliable
--     deterioration since the start
--   is_low_alliance: true when the latest score on the alliance instrument
--     (agenda.alliance_instrument) is on the clinical side of its cut-off
--   is_overdue: true when a planned measurement is overdue
--   is_long_course: true when the course has run longer than agenda.long_course_days
--   is_open_agreement: true when an agreement about the course is still open

with

courses as (
    select * from mart_citizen_courses
),

progression as (
    select * from mart_citizen_progression
),

measurement_status as (
    select * from mart_citizen_measurement_status
),

agreements as (
    select * from mart_citizen_agreements
),

course_flags as (
    select * from mart_citizen_course_flags
),

off_course as (
    select distinct course_id
    from course_flags
    where course_flag in ('red', 'amber')
),

settings as (
    select * from ref.settings
),

agenda_settings as (
    select * from ref.agenda_settings
),

open_courses as (
    select course_id
    from courses
    where case_status = 'open'
),

-- the agenda lists open courses only, so the window sorts only their scores
latest_scores as (
    select
        progression.course_id,
        progression.instrument_id,
        progression.rci_class,
        progression.is_clinical
    from progression
    semi join open_courses on progression.course_id = open_courses.course_id
    where progression.scale_id = 'total' and progression.score is not null
    qualify row_number() over (
        partition by progression.course_id, progression.instrument_id
        order by progression.measured_on desc, progression.form_id desc
    ) = 1
),

deteriorated as (
    select distinct course_id
    from latest_scores
    where rci_class = 'reliably_deteriorated'
),

low_alliance as (
    select distinct latest_scores.course_id
    from latest_scores
    inner join agenda_settings
        on latest_scores.instrument_id = agenda_settings.alliance_instrument_id
    where latest_scores.is_clinical
),

overdue as (
    select distinct course_id
    from measurement_status
    where status = 'overdue'
),

agreement_summary as (
    select
        course_id,
        bool_or(coalesce(status, 'open') = 'open') as is_open_agreement,
        max(agreed_on) as last_agreed_on
    from agreements
    group by course_id
),

final as (
    select
        courses.course_id,
        courses.citizen_id,
        courses.intervention_id,
        courses.team_id,
        courses.start_date,
        courses.last_measured_on,
        agreement_summary.last_agreed_on,
        off_course.course_id is not null as is_off_course,
        deteriorated.course_id is not null as is_deteriorated,
        low_alliance.course_id is not null as is_low_alliance,
        overdue.course_id is not null as is_overdue,
        settings.as_of_date - courses.start_date
        > agenda_settings.long_course_days as is_long_course,
        coalesce(agreement_summary.is_open_agreement, false) as is_open_agreement
    from courses
    cross join settings
    cross join agenda_settings
    left join off_course on courses.course_id = off_course.course_id
    left join deteriorated on courses.course_id = deteriorated.course_id
    left join low_alliance on courses.course_id = low_alliance.course_id
    left join overdue on courses.course_id = overdue.course_id
    left join agreement_summary on courses.course_id = agreement_summary.course_id
    where courses.case_status = 'open'
)

select * from final
