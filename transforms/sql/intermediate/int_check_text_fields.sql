-- model: int_check_text_fields
-- grain: one row per non-empty free-text value staged: measurement notes, goal
--   descriptions and registration values. What the checks' chk_text_fields reads
--   (checks/sql/base; rule cpr_in_text), kept up to date by the build.
-- incremental: course_id
-- columns:
--   source_table: staging table the text is in (measurements | goals | registrations)
--   column_name: its column
--   course_id: course id
--   form_id: form id (measurement notes only)
--   item_no: item number (measurement notes only)
--   text_value: the text
--   load_id: the load that staged the row
--   row_no: record number in that load's export
--   intervention_id: the course's intervention (NULL when the course is not staged)
--   team_id: the course's team (NULL when the course is not staged)

with

measurements as (
    select * from staging.measurements
),

goals as (
    select * from staging.goals
),

registrations as (
    select * from staging.registrations
),

courses as (
    select * from staging.courses
),

unioned as (
    select
        'measurements' as source_table,
        'note' as column_name,
        course_id,
        form_id,
        item_no,
        note as text_value,
        load_id,
        row_no
    from measurements
    where note is not null
    union all
    select
        'goals' as source_table,
        'description' as column_name,
        course_id,
        null as form_id,
        null as item_no,
        description as text_value,
        load_id,
        row_no
    from goals
    where description is not null
    union all
    select
        'registrations' as source_table,
        'value' as column_name,
        course_id,
        null as form_id,
        null as item_no,
        value as text_value,
        load_id,
        row_no
    from registrations
    where value is not null
),

final as (
    select
        unioned.*,
        courses.intervention_id,
        courses.team_id
    from unioned
    left join courses on unioned.course_id = courses.course_id
)

select * from final
