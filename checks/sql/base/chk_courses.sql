-- view: chk_courses
-- grain: one row per staged course in the run's scope.
-- columns:
--   course_id, citizen_id, intervention_id, team_id, start_date, end_date, end_reason
--   file_name, row_no: lineage (the file from staging.loads)

with

courses as (
    select * from staging.courses
),

loads as (
    select
        load_id,
        file_name
    from staging.loads
),

final as (
    select
        courses.course_id,
        courses.citizen_id,
        courses.intervention_id,
        courses.variant,
        courses.team_id,
        courses.start_date,
        courses.end_date,
        courses.end_reason,
        loads.file_name,
        courses.row_no
    from courses
    left join loads on courses.load_id = loads.load_id
    where chk_in_scope(courses.intervention_id, courses.team_id)
)

select * from final
