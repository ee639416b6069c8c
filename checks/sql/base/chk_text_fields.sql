-- view: chk_text_fields
-- materialize: true
-- grain: one row per non-empty free-text value in the run's scope: measurement notes,
--   goal descriptions and registration values.
-- columns:
--   table_name, column_name: where the text is
--   course_id, form_id, item_no: its keys (where they apply)
--   intervention_id, team_id: from the course
--   text_value: the text
--   file_name, row_no: lineage

with

measurements as (
    select * from chk_measurements
),

goals as (
    select * from chk_goals
),

registrations as (
    select * from chk_registrations
),

courses as (
    select * from staging.courses
),

loads as (
    select
        load_id,
        file_name
    from staging.loads
),

unioned as (
    select
        'staging.measurements' as table_name,
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
        'staging.goals',
        'description',
        course_id,
        null,
        null,
        description,
        load_id,
        row_no
    from goals
    where description is not null
    union all
    select
        'staging.registrations',
        'value',
        course_id,
        null,
        null,
        value,
        load_id,
        row_no
    from registrations
    where value is not null
),

final as (
    select
        unioned.* exclude (load_id),
        loads.file_name,
        courses.intervention_id,
        courses.team_id
    from unioned
    left join courses on unioned.course_id = courses.course_id
    left join loads on unioned.load_id = loads.load_id
)

select * from final
