-- Records quarantined at ingest (could not be typed or mapped), from the files still
-- in force (loaded, not replaced): what the data steward corrects in the source system.
-- Each record is placed on its team and intervention where its export row names a
-- course: the course's staging row, else the team and intervention the quarantined
-- course row itself names when its intervention code is a known intervention id (a
-- source's own codes are mapped only at staging, so an unmapped code places nothing).
-- Citizens, goal ratings, costs and calibration scores name no course (team and
-- intervention stay NULL), nor do rows whose course is unknown.

with

quarantine as (
    select * from staging.quarantine
),

loads as (
    select * from staging.loads
    where status = 'loaded'
),

courses as (
    select * from staging.courses
),

interventions as (
    select * from ref.interventions
),

course_rows as (
    select
        load_id,
        row_no,
        'courses' as canonical_table,
        course_ref,
        team_id,
        intervention_id
    from landing.courses_fields
    union all
    select load_id, row_no, 'registrations', course_ref, null, null
    from landing.registrations_fields
    union all
    select load_id, row_no, 'measurements', course_ref, null, null
    from landing.measurements_fields
    union all
    select load_id, row_no, 'measurements', course_ref, null, null
    from landing.measurement_forms_fields
    union all
    select load_id, row_no, 'activities', course_ref, null, null
    from landing.activities_fields
),

course_of_row as (
    select distinct
        course_rows.load_id,
        course_rows.row_no,
        course_rows.canonical_table,
        course_rows.course_ref,
        case
            when interventions.intervention_id is not null then course_rows.team_id
        end as team_id,
        interventions.intervention_id
    from course_rows
    left join interventions on course_rows.intervention_id = interventions.intervention_id
),

final as (
    select
        quarantine.file_name,
        quarantine.sheet,
        quarantine.canonical_table,
        quarantine.row_no,
        quarantine.column_name,
        quarantine.value,
        quarantine.rule,
        quarantine.message,
        coalesce(courses.team_id, course_of_row.team_id) as team_id,
        coalesce(courses.intervention_id, course_of_row.intervention_id) as intervention_id
    from quarantine
    inner join loads on quarantine.load_id = loads.load_id
    left join course_of_row
        on
            quarantine.load_id = course_of_row.load_id
            and quarantine.row_no = course_of_row.row_no
            and quarantine.canonical_table = course_of_row.canonical_table
    left join courses on course_of_row.course_ref = courses.course_id
    order by quarantine.file_name, quarantine.sheet, quarantine.row_no, quarantine.rule
)

select * from final
