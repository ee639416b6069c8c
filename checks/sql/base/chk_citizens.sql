-- view: chk_citizens
-- grain: one row per staged citizen in the run's scope (for an intervention or team:
--   the citizens with a course in it).
-- columns: the staging.citizens columns

with

citizens as (
    select * from staging.citizens
),

courses as (
    select * from chk_courses
),

params as (
    select * from chk_params
),

final as (
    select citizens.*
    from citizens
    cross join params
    where
        params.scope_kind = 'organisation'
        or citizens.citizen_id in (select courses.citizen_id from courses)
)

select * from final
