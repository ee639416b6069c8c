-- The due list: planned measurements not yet collected that fall due in the coming
-- weeks, or whose window closed recently (overdue), per team, judged on a given date.
-- Reads the build (int_point_status: every planned point with its window and the form
-- assigned to it; int_courses; int_forms) and the one-row relation due_params
-- (as_of_date, horizon_days, lookback_days). Statuses are judged here on as_of_date, so
-- any date works, not only the build's (repeating points exist up to the build's date).
-- Rules, for a planned point with a known due date (end-anchored points of open courses
--   have none yet) and no form assigned to it on or before as_of_date:
--   not listed  a point counted from the start whose window opens after the course
--               ended (int_point_status: not_applicable)
--   overdue     the due date has passed (even while the tolerance window is still open:
--               the measurement is late from the due date on), and the window closed at
--               most lookback_days ago (or is still open)
--   due_now     the window is open and the due date is today or later
--   upcoming    the window has not opened and the due date is at most horizon_days away
-- Staff member: who collected the course's latest form (the one to ask).
-- Overlapping courses: the other courses of the same citizen in the same intervention
--   that overlap this one in time (an open course runs to as_of_date) or start the same
--   day, as the quality rule course_overlap finds them: a renumbered copy of a course
--   is listed twice, and its points are due on both; the column says which to chase.
-- columns: team_id, staff_id, citizen_id (pseudonym), course_id, intervention_id,
--   case_status, instrument_id, point_id, due_date, window_opens_on, window_closes_on,
--   status, days_until_due (negative: days since it was due), overlapping_courses
--   (course ids, comma-separated; NULL when none)

with

points as (
    select * from int_point_status
),

courses as (
    select * from int_courses
),

forms as (
    select * from int_forms
),

params as (
    select * from due_params
),

latest_staff as (
    select
        course_id,
        arg_max(staff_id, (measured_on, form_id)) as staff_id
    from forms
    where staff_id is not null
    group by course_id
),

open_points as (
    select
        points.course_id,
        points.intervention_id,
        points.instrument_id,
        points.point_id,
        points.due_date,
        points.window_opens_on,
        points.window_closes_on
    from points
    cross join params
    where
        points.due_date is not null
        and points.status <> 'not_applicable'
        and (points.form_id is null or points.measured_on > params.as_of_date)
),

spans as (
    select
        courses.course_id,
        courses.citizen_id,
        courses.intervention_id,
        courses.start_date,
        greatest(coalesce(courses.end_date, params.as_of_date), courses.start_date) as span_end
    from courses
    cross join params
    where courses.is_repeat_citizen
),

overlapping as (
    select
        mine.course_id,
        string_agg(other.course_id, ', ' order by other.course_id) as overlapping_courses
    from spans as mine
    inner join spans as other
        on
            mine.citizen_id = other.citizen_id
            and mine.intervention_id = other.intervention_id
            and mine.course_id <> other.course_id
    where
        mine.start_date = other.start_date
        or (mine.start_date < other.span_end and other.start_date < mine.span_end)
    group by mine.course_id
),

classified as (
    select
        open_points.*,
        courses.citizen_id,
        courses.team_id,
        courses.case_status,
        case
            when open_points.due_date < params.as_of_date
                then case
                    when open_points.window_closes_on >= params.as_of_date - params.lookback_days
                        then 'overdue'
                end
            when open_points.window_opens_on <= params.as_of_date then 'due_now'
            when open_points.due_date <= params.as_of_date + params.horizon_days then 'upcoming'
        end as status,
        date_diff('day', params.as_of_date, open_points.due_date) as days_until_due
    from open_points
    inner join courses on open_points.course_id = courses.course_id
    cross join params
),

final as (
    select
        coalesce(classified.team_id, 'no_team') as team_id,
        latest_staff.staff_id,
        classified.citizen_id,
        classified.course_id,
        classified.intervention_id,
        classified.case_status,
        classified.instrument_id,
        classified.point_id,
        classified.due_date,
        classified.window_opens_on,
        classified.window_closes_on,
        classified.status,
        classified.days_until_due,
        overlapping.overlapping_courses
    from classified
    left join latest_staff on classified.course_id = latest_staff.course_id
    left join overlapping on classified.course_id = overlapping.course_id
    where classified.status is not null
    order by
        team_id,
        case classified.status when 'overdue' then 0 when 'due_now' then 1 else 2 end,
        classified.due_date,  -- the most overdue first
        classified.citizen_id,
        classified.instrument_id
)

select * from final
