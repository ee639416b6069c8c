-- model: int_point_status
-- grain: one row per course, planned point, instrument and occurrence
--   (int_planned_points) with whether the measurement was collected, judged on
--   ref.settings.as_of_date.
-- incremental: course_id
-- materialized: view
-- Status, first match:
--   awaiting_end    the point counts from the course end and the course is open
--   collected_on_time / collected_early / collected_late   a form is assigned here
--   not_applicable  a point counted from the start whose tolerance window opens after
--                   the course ended
--   overdue         no form and the tolerance window has passed
--   due             no form and as_of_date is inside the tolerance window
--   upcoming        the tolerance window has not opened yet
-- is_due (the denominator of completeness) = collected or overdue.
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
--   due_date: date the measurement is due (NULL while awaiting the course end)
--   window_opens_on: due_date - tolerance_days
--   window_closes_on: due_date + tolerance_days
--   form_id: the primary form collected at the point (NULL if none)
--   measured_on: date of that form
--   days_from_due: measured_on - due_date in days
--   status: awaiting_end | collected_on_time | collected_early | collected_late |
--     not_applicable | overdue | due | upcoming
--   is_due: true when the point counts towards completeness (collected or overdue)
--   is_collected: true when a form is assigned to the point
--   is_on_time: true when collected within tolerance

with

planned as (
    select * from int_planned_points
),

form_points as (
    select * from int_form_points
    where is_point_primary
),

courses as (
    select * from int_courses
),

settings as (
    select * from ref.settings
),

joined as (
    select
        planned.course_id,
        courses.citizen_id,
        planned.intervention_id,
        courses.team_id,
        courses.case_status,
        courses.end_date,
        planned.instrument_id,
        planned.point_id,
        planned.point_order,
        planned.occurrence_no,
        planned.anchor,
        planned.due_date,
        form_points.form_id,
        form_points.measured_on,
        form_points.days_from_due,
        form_points.timing_status,
        settings.as_of_date,
        planned.due_date - planned.tolerance_days as window_opens_on,
        planned.due_date + planned.tolerance_days as window_closes_on
    from planned
    inner join courses on planned.course_id = courses.course_id
    cross join settings
    left join form_points
        on
            planned.course_id = form_points.course_id
            and planned.instrument_id = form_points.instrument_id
            and planned.point_id = form_points.point_id
            and planned.occurrence_no = form_points.occurrence_no
),

final as (
    select
        course_id,
        citizen_id,
        intervention_id,
        team_id,
        case_status,
        instrument_id,
        point_id,
        point_order,
        occurrence_no,
        due_date,
        window_opens_on,
        window_closes_on,
        form_id,
        measured_on,
        days_from_due,
        case
            when due_date is null then 'awaiting_end'
            when form_id is not null then 'collected_' || timing_status
            when anchor = 'start' and end_date < window_opens_on then 'not_applicable'
            when as_of_date > window_closes_on then 'overdue'
            when as_of_date >= window_opens_on then 'due'
            else 'upcoming'
        end as status,
        form_id is not null or (
            due_date is not null
            and as_of_date > window_closes_on
            and not coalesce(anchor = 'start' and end_date < window_opens_on, false)
        ) as is_due,
        form_id is not null as is_collected,
        coalesce(timing_status = 'on_time', false) as is_on_time
    from joined
)

select * from final
