-- view: chk_measurements
-- materialize: true
-- grain: one row per staged item answer (staging.measurements) in the run's scope, with
--   its course's intervention, team and dates (NULL when the course is not staged).
-- columns: the staging.measurements columns, plus intervention_id, team_id,
--   course_start, course_end

with

measurements as (
    select * from staging.measurements
),

courses as (
    select * from staging.courses
),

joined as (
    select
        measurements.*,
        courses.intervention_id,
        courses.team_id,
        courses.start_date as course_start,
        courses.end_date as course_end
    from measurements
    left join courses on measurements.course_id = courses.course_id
),

final as (
    select joined.* from joined
    cross join chk_params as p
    where chk_in_scope(p.scope_kind, p.scope_id, intervention_id, team_id)
)

select * from final
