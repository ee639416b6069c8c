-- model: mart_citizen_measurement_status
-- grain: one row per course, planned point, instrument and occurrence: the due and
--   overdue list (status rules in int_point_status, judged on ref.settings.as_of_date).
-- incremental: course_id
-- materialized: view
-- columns:
--   course_id: course id
--   citizen_id: pseudonymised citizen id
--   intervention_id: intervention id
--   team_id: team id
--   case_status: open | closed_planned | closed_unplanned
--   instrument_id: instrument planned at the point
--   point_id: measurement point id
--   point_order: order of the point in the plan
--   occurrence_no: occurrence of a repeating point (0 otherwise)
--   due_date: date due (NULL while awaiting the course end)
--   window_opens_on: first on-time day
--   window_closes_on: last on-time day
--   form_id: the form collected at the point (NULL if none)
--   measured_on: date of that form
--   days_from_due: measured_on - due_date in days
--   status: awaiting_end | collected_on_time | collected_early | collected_late |
--     not_applicable | overdue | due | upcoming
--   is_due: true when the point counts towards completeness
--   is_collected: true when a form is assigned to the point
--   is_on_time: true when collected within tolerance
--   as_of_date: the date statuses are judged on

with

point_status as (
    select * from int_point_status
),

settings as (
    select * from ref.settings
),

final as (
    select
        point_status.course_id,
        point_status.citizen_id,
        point_status.intervention_id,
        point_status.team_id,
        point_status.case_status,
        point_status.instrument_id,
        point_status.point_id,
        point_status.point_order,
        point_status.occurrence_no,
        point_status.due_date,
        point_status.window_opens_on,
        point_status.window_closes_on,
        point_status.form_id,
        point_status.measured_on,
        point_status.days_from_due,
        point_status.status,
        point_status.is_due,
        point_status.is_collected,
        point_status.is_on_time,
        settings.as_of_date
    from point_status
    cross join settings
)

select * from final
