-- The courses whose rows may read differently when the as-of date moves from the last
-- build's (variable refresh_last_as_of) to this build's (variable refresh_as_of): an
-- incremental build redoes them as if their data had changed (refresh/delta.sql
-- widens them as it does changed courses).
--
-- Every per-course model that reads ref.settings.as_of_date compares it with one of a
-- course's dates. A comparison with a date before both as-of dates, or after both,
-- comes out the same either way, so only a course with such a date between them
-- (lo and hi: the two dates, one day wider each way) can move:
--   int_planned_points: an open course's repeating point has one occurrence per
--     repeat up to the as-of date -> open courses where a new occurrence starts
--     between the dates (the count differs at lo and hi);
--   int_point_status: a point without a form is upcoming, due or overdue by its
--     window -> courses with a window opening or closing between the dates;
--   mart_citizen_agreements: an open agreement is overdue after its follow-up date ->
--     courses with a follow-up between the dates;
--   int_agenda_signals (mart_citizen_agenda_flags): a course whose case is open is
--     long when as-of - start > long_course_days -> courses starting that many days
--     before a date between.
-- The models that read the date for every open course (int_costs_course_quarters:
-- days in the quarter up to the date) and the aggregates (quarters up to the date,
-- the validation's date) are not per-course here: they are rebuilt whole.

create or replace temp table refresh_as_of_courses as

with

bounds as (
    select
        least(getvariable('refresh_last_as_of'), getvariable('refresh_as_of')) - 1 as lo,
        greatest(getvariable('refresh_last_as_of'), getvariable('refresh_as_of')) + 1
            as hi
),

long_course as (
    select max(long_course_days) as n_days from ref.agenda_settings
),

-- as int_planned_points counts a repeating point's occurrences up to a last day
repeats as (
    select
        courses.course_id,
        courses.start_date + plan.offset_days as first_due,
        plan.repeat_every_days
    from int_courses as courses
    inner join ref.measurement_plan as plan
        on courses.intervention_id = plan.intervention_id
    where
        courses.end_date is null
        and courses.start_date is not null
        and plan.anchor = 'start'
        and plan.repeat_every_days is not null
),

new_occurrences as (
    select distinct repeats.course_id
    from repeats
    cross join bounds
    where
        greatest(1, 1 + floor(
            date_diff('day', repeats.first_due, bounds.lo) / repeats.repeat_every_days
        )::integer)
        != greatest(1, 1 + floor(
            date_diff('day', repeats.first_due, bounds.hi) / repeats.repeat_every_days
        )::integer)
),

window_edges as (
    select distinct planned.course_id
    from int_planned_points as planned
    cross join bounds
    where
        planned.due_date - planned.tolerance_days between bounds.lo and bounds.hi
        or planned.due_date + planned.tolerance_days between bounds.lo and bounds.hi
),

follow_ups as (
    select distinct agreements.course_id
    from staging.agreements as agreements
    cross join bounds
    where
        agreements.course_id is not null
        and agreements.follow_up_on between bounds.lo and bounds.hi
),

turning_long as (
    select courses.course_id
    from staging.courses as courses
    cross join bounds
    cross join long_course
    where
        courses.start_date
        between bounds.lo - long_course.n_days and bounds.hi - long_course.n_days
)

select course_id from new_occurrences
union
select course_id from window_edges
union
select course_id from follow_ups
union
select course_id from turning_long
