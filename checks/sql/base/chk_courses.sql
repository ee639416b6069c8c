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
    cross join chk_params as p
    where chk_in_scope(p.scope_kind, p.scope_id, intervention_id, team_id)
)

select * from final
