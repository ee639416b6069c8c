-- model: int_planned_points
-- grain: one row per course, planned measurement point, instrument and occurrence
--   (the measurement plan of the course's intervention laid over the course).
-- incremental: course_id
-- materialized: view
-- Due date = anchor date (course start or end) + offset_days; a repeating point
--   (repeat_every_days) recurs every that many days while the due date is on or before
--   the course end (open courses: ref.settings.as_of_date); occurrence_no counts from 0.
--   A point anchored at the end has no due date while the course is open.
-- A form within tolerance_days of the due date is on time; within the wider window
--   (tolerance_days x ref.settings.point_window_factor) it is still assigned to the point.
-- columns:
--   course_id: course id
--   intervention_id: intervention id
--   instrument_id: instrument planned at the point
--   point_id: measurement point id (start, mid, end, fu3 ...)
--   point_order: order of the point in the intervention's plan
--   anchor: start | end
--   anchor_date: course start or end date (NULL for end points of open courses)
--   tolerance_days: days either side of due_date that count as on time
--   occurrence_no: 0 for the first (or only) occurrence of the point
--   due_date: date the measurement is due (NULL while the anchor date is unknown)
--   window_days: days either side of due_date within which a form is assigned here

with

courses as (
    select * from int_courses
),

plan as (
    select * from ref.measurement_plan
),

settings as (
    select * from ref.settings
),

course_plan as (
    select
        courses.course_id,
        courses.intervention_id,
        plan.instrument_id,
        plan.point_id,
        plan.point_order,
        plan.anchor,
        plan.offset_days,
        plan.tolerance_days,
        plan.repeat_every_days,
        settings.point_window_factor,
        case plan.anchor
            when 'start' then courses.start_date
            when 'end' then courses.end_date
        end as anchor_date,
        coalesce(courses.end_date, settings.as_of_date) as last_day
    from courses
    inner join plan on courses.intervention_id = plan.intervention_id
    cross join settings
),

single_points as (
    select
        *,
        0 as occurrence_no
    from course_plan
    where repeat_every_days is null or anchor = 'end' or anchor_date is null
),

repeating_points as (
    select
        *,
        unnest(range(
            greatest(
                1,
                1 + floor(
                    date_diff('day', anchor_date + offset_days, last_day) / repeat_every_days
                )::integer
            )
        )) as occurrence_no
    from course_plan
    where repeat_every_days is not null and anchor = 'start' and anchor_date is not null
),

expanded as (
    select * from single_points
    union all
    select * from repeating_points
),

final as (
    select
        course_id,
        intervention_id,
        instrument_id,
        point_id,
        point_order,
        anchor,
        anchor_date,
        tolerance_days,
        occurrence_no::integer as occurrence_no,
        anchor_date
        + (offset_days + occurrence_no * coalesce(repeat_every_days, 0))::integer as due_date,
        tolerance_days * point_window_factor as window_days
    from expanded
)

select * from final
