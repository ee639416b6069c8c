-- model: int_agenda_signals
-- grain: one row per open course: every reason of mart_citizen_agenda_flags to talk
--   about the citizen except the expected course's flag (is_off_course).
-- materialized: temporary
-- incremental: course_id
-- Kept apart from the mart because the flag reads int_course_flags, which every
--   correction of a closed course moves as a whole (the expected-course fit): the mart
--   is then rebuilt whole, and recomputing these signals for every open course (the
--   measurement status and latest score of every course) cost 0.6-1.3 s of an
--   incremental build at 100 000 courses. Here they are redone for the changed courses
--   only and the mart joins the flag on. Reads the per-citizen marts (views).
-- columns:
--   course_id: course id
--   citizen_id: pseudonymised citizen id
--   intervention_id: intervention id
--   team_id: team id
--   start_date: course start
--   last_measured_on: date of the latest form
--   last_agreed_on: date of the latest meeting that made an agreement about the course
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
        deteriorated.course_id is not null as is_deteriorated,
        low_alliance.course_id is not null as is_low_alliance,
        overdue.course_id is not null as is_overdue,
        settings.as_of_date - courses.start_date
        > agenda_settings.long_course_days as is_long_course,
        coalesce(agreement_summary.is_open_agreement, false) as is_open_agreement
    from courses
    cross join settings
    cross join agenda_settings
    left join deteriorated on courses.course_id = deteriorated.course_id
    left join low_alliance on courses.course_id = low_alliance.course_id
    left join overdue on courses.course_id = overdue.course_id
    left join agreement_summary on courses.course_id = agreement_summary.course_id
    where courses.case_status = 'open'
)

select * from final
