-- view: chk_courses
-- grain: one row per staged course in the run's scope.
-- columns:
--   course_id, citizen_id, intervention_id, team_id, start_date, end_date, end_reason
--   file_name, row_no: lineage

with

courses as (
    select * from staging.courses
),

final as (
    select
        course_id,
        citizen_id,
        intervention_id,
        variant,
        team_id,
        start_date,
        end_date,
        end_reason,
        file_name,
        row_no
    from courses
    where chk_in_scope(intervention_id, team_id)
)

select * from final
