-- Typed activities of one load (landing.activities where load_id = $load_id).
-- Output: the columns of staging.activities, lineage, and problems (null when the
-- record is clean). An activity on a course in no courses table is unknown_course.
-- Parameters: $load_id, $date_format, $decimal.
with

source as (
    select * from landing.activities
    where load_id = $load_id
),

known_courses as (
    select course_id from staging.courses
),

typed as (
    select
        -- ids
        staging.clean_text(source.course_ref) as course_id,
        -- activity
        staging.to_date(source.activity_date, $date_format) as activity_date,
        staging.clean_text(source.activity_type) as activity_type,
        staging.to_number(source.minutes, $decimal) as minutes,
        staging.clean_text(source.staff_id) as staff_id,
        -- lineage
        source.load_id,
        source.source_id,
        source.file_name,
        source.row_no,
        -- as received, for the checks
        staging.clean_text(source.activity_date) as activity_date_raw,
        staging.clean_text(source.minutes) as minutes_raw
    from source
),

checked as (
    select
        typed.*,
        list_filter(
            [
                staging.problem(
                    case
                        when typed.course_id is null then 'missing_required'
                        when contains(typed.course_id, '[CPR]') then 'cpr_in_id'
                        when known_courses.course_id is null then 'unknown_course'
                    end,
                    'course_ref', typed.course_id, null
                ),
                staging.problem(
                    case
                        when typed.activity_date_raw is null then 'missing_required'
                        when typed.activity_date is null then 'invalid_date'
                    end,
                    'activity_date', typed.activity_date_raw, null
                ),
                staging.problem(
                    case when typed.activity_type is null then 'missing_required' end,
                    'activity_type', typed.activity_type, null
                ),
                staging.problem(
                    case
                        when typed.minutes_raw is not null and typed.minutes is null
                            then 'invalid_number'
                    end,
                    'minutes', typed.minutes_raw, null
                ),
                staging.problem(
                    case when contains(typed.staff_id, '[CPR]') then 'cpr_in_id' end,
                    'staff_id', typed.staff_id, null
                )
            ],
            p -> p is not null
        ) as problems
    from typed
    left join known_courses
        on typed.course_id = known_courses.course_id
),

final as (
    select
        course_id,
        activity_date,
        activity_type,
        minutes,
        staff_id,
        load_id,
        source_id,
        file_name,
        row_no,
        cast(null as integer) as cell_item_no,
        nullif(problems, []) as problems
    from checked
)

select * from final
