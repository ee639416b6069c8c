-- model: int_costs_course_quarters
-- grain: one row per course and calendar quarter in which the course ran (its days
--   from start to end, open courses up to ref.settings.as_of_date) or had activities
--   (staging.activities): the course's time and registered staff time in the quarter.
-- citizen_months = days_in_course / (365.25 / 12). An activity counts in the quarter of
--   its activity_date, also when that date lies outside the course's own dates (the
--   quality checks flag such rows); activities of courses missing from int_courses are
--   left out. Activities without minutes count as activities with no time.
-- columns:
--   course_id: course id
--   citizen_id: pseudonymised citizen id
--   is_repeat_citizen: true when the citizen has more than one course in the intervention
--   intervention_id: intervention id
--   quarter: calendar quarter, YYYY-Qn
--   quarter_start: first day of the quarter
--   quarter_end: last day of the quarter
--   days_in_course: days of the quarter the course was running (0 when only activities)
--   citizen_months: days_in_course / (365.25 / 12)
--   n_activities: activities registered on the course in the quarter
--   n_activities_without_minutes: of those, activities with no minutes registered
--   activity_minutes: registered staff minutes in the quarter
--   activity_hours: activity_minutes / 60

with

courses as (
    select * from int_courses
),

activities as (
    select * from staging.activities
),

settings as (
    select * from ref.settings
),

constants as (
    select
        60.0 as minutes_per_hour,
        365.25 / 12 as days_per_month
),

course_windows as (
    select
        courses.course_id,
        courses.start_date,
        least(coalesce(courses.end_date, settings.as_of_date), settings.as_of_date)
            as window_end
    from courses
    cross join settings
),

course_quarter_starts as (
    select
        course_id,
        start_date,
        window_end,
        cast(
            unnest(
                generate_series(
                    date_trunc('quarter', start_date),
                    date_trunc('quarter', window_end),
                    interval 3 month
                )
            ) as date
        ) as quarter_start
    from course_windows
    where start_date <= window_end
),

course_days as (
    select
        course_id,
        quarter_start,
        date_diff(
            'day',
            greatest(quarter_start, start_date),
            least(cast(quarter_start + interval 3 month as date) - 1, window_end)
        ) + 1 as days_in_course
    from course_quarter_starts
),

activity_quarters as (
    select
        activities.course_id,
        cast(date_trunc('quarter', activities.activity_date) as date) as quarter_start,
        count(*) as n_activities,
        count(*) filter (where activities.minutes is null) as n_activities_without_minutes,
        coalesce(sum(activities.minutes), 0) as activity_minutes
    from activities
    inner join courses on activities.course_id = courses.course_id
    group by all
),

combined as (
    select
        coalesce(course_days.course_id, activity_quarters.course_id) as course_id,
        coalesce(course_days.quarter_start, activity_quarters.quarter_start) as quarter_start,
        coalesce(course_days.days_in_course, 0) as days_in_course,
        coalesce(activity_quarters.n_activities, 0) as n_activities,
        coalesce(activity_quarters.n_activities_without_minutes, 0)
            as n_activities_without_minutes,
        coalesce(activity_quarters.activity_minutes, 0) as activity_minutes
    from course_days
    full outer join activity_quarters
        on
            course_days.course_id = activity_quarters.course_id
            and course_days.quarter_start = activity_quarters.quarter_start
),

labelled as (
    select
        combined.*,
        courses.citizen_id,
        courses.is_repeat_citizen,
        courses.intervention_id,
        strftime(combined.quarter_start, '%Y') || '-Q' || quarter(combined.quarter_start)
            as quarter,  -- noqa: RF04
        cast(combined.quarter_start + interval 3 month as date) - 1 as quarter_end,
        combined.days_in_course / constants.days_per_month as citizen_months,
        combined.activity_minutes / constants.minutes_per_hour as activity_hours
    from combined
    inner join courses on combined.course_id = courses.course_id
    cross join constants
),

final as (
    select
        -- ids
        course_id,
        citizen_id,
        is_repeat_citizen,
        intervention_id,
        -- quarter
        quarter,
        quarter_start,
        quarter_end,
        -- time
        days_in_course,
        citizen_months,
        n_activities,
        n_activities_without_minutes,
        activity_minutes,
        activity_hours
    from labelled
)

select * from final
