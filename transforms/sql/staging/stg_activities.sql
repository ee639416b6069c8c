-- Typed activities of one load. Reads _landing_activities: this load's landing rows
-- (landing/lnd_activities.sql), before they are written to landing.activities.
-- Output: the columns of staging.activities, lineage, and problems (null when the
-- record is clean). An activity on a course in no courses table is unknown_course.
-- Variables (getvariable): date_format, decimal.
with

source as (
    select * from _landing_activities
),

typed as (
    select
        -- lineage
        row_no,
        -- ids
        staging.clean_text(course_ref) as course_id,
        -- activity
        staging.to_date(activity_date, getvariable('date_format')) as activity_date,
        staging.clean_text(activity_type) as activity_type,
        staging.to_number(minutes, getvariable('decimal')) as minutes,
        staging.clean_text(staff_id) as staff_id,
        -- as received, for the checks
        staging.clean_text(activity_date) as activity_date_raw,
        staging.clean_text(minutes) as minutes_raw,
        coalesce(
            staging.clean_text(course_ref) in (select s.course_id from staging.courses as s),
            false
        ) as is_known_course
    from source
),

checks as (
    select
        *,
        case
            when course_id is null then 'missing_required'
            when contains(course_id, '[CPR]') then 'cpr_in_id'
            when not is_known_course then 'unknown_course'
        end as rule_course,
        case
            when activity_date_raw is null then 'missing_required'
            when activity_date is null then 'invalid_date'
        end as rule_activity_date,
        case when activity_type is null then 'missing_required' end as rule_activity_type,
        case when minutes_raw is not null and minutes is null then 'invalid_number' end
            as rule_minutes,
        case when contains(staff_id, '[CPR]') then 'cpr_in_id' end as rule_staff
    from typed
),

final as (
    select
        course_id,
        activity_date,
        activity_type,
        minutes,
        staff_id,
        row_no,
        cast(null as integer) as cell_item_no,
        case
            when
                coalesce(
                    rule_course, rule_activity_date, rule_activity_type, rule_minutes, rule_staff
                ) is not null
                then list_filter(
                    [
                        staging.problem(rule_course, 'course_ref', course_id, null),
                        staging.problem(
                            rule_activity_date, 'activity_date', activity_date_raw, null
                        ),
                        staging.problem(rule_activity_type, 'activity_type', activity_type, null),
                        staging.problem(rule_minutes, 'minutes', minutes_raw, null),
                        staging.problem(rule_staff, 'staff_id', staff_id, null)
                    ],
                    p -> p is not null
                )
        end as problems
    from checks
)

select * from final
