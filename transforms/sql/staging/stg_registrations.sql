-- Typed background registrations of one load (landing.registrations where
-- load_id = $load_id). Output: the columns of staging.registrations, lineage, and
-- problems (null when the record is clean). A registration for a course that is
-- in no courses table (staging.courses, this batch included) is unknown_course.
-- Parameters: $load_id, $date_format.
with

source as (
    select * from landing.registrations
    where load_id = $load_id
),

codes as (
    select * from _codes
),

known_courses as (
    select course_id from staging.courses
),

typed as (
    select
        -- ids
        staging.clean_text(source.course_ref) as course_id,
        -- registration
        staging.to_date(source.registered_on, $date_format) as registered_on,
        stage_codes.value as stage,
        staging.clean_text(source.field) as field,
        staging.clean_text(source.value) as value,
        -- lineage
        source.load_id,
        source.source_id,
        source.file_name,
        source.row_no,
        -- as received, for the checks
        staging.clean_text(source.registered_on) as registered_on_raw,
        staging.clean_text(source.stage) as stage_raw
    from source
    left join codes as stage_codes
        on
            stage_codes.column_name = 'stage'
            and stage_codes.code = staging.clean_text(source.stage)
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
                        when typed.registered_on_raw is not null and typed.registered_on is null
                            then 'invalid_date'
                    end,
                    'registered_on', typed.registered_on_raw, null
                ),
                staging.problem(
                    case when typed.stage_raw is not null and typed.stage is null then 'unknown_code' end,
                    'stage', typed.stage_raw, null
                ),
                staging.problem(
                    case when typed.field is null then 'missing_required' end,
                    'field', typed.field, null
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
        registered_on,
        stage,
        field,
        value,
        load_id,
        source_id,
        file_name,
        row_no,
        cast(null as integer) as cell_item_no,
        nullif(problems, []) as problems
    from checked
)

select * from final
