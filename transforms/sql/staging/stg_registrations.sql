-- Typed background registrations of one load. Reads _landing_registrations: this
-- load's landing rows (landing/lnd_registrations.sql), before they are written.
-- Output: the columns of staging.registrations, lineage, and problems (null
-- when the record is clean). A registration for a course that is in no courses
-- table (staging.courses, this batch included) is unknown_course.
-- Variables (getvariable): date_format, codes_stage.
with

source as (
    select * from _landing_registrations
),

typed as (
    select
        -- lineage
        row_no,
        -- ids
        staging.clean_text(course_ref) as course_id,
        -- registration
        staging.to_date(registered_on, getvariable('date_format')) as registered_on,
        staging.code(getvariable('codes_stage'), stage) as stage,  -- noqa: RF04
        staging.clean_text(field) as field,  -- noqa: RF04
        staging.clean_text(value) as value,  -- noqa: RF04
        -- as received, for the checks
        staging.clean_text(registered_on) as registered_on_raw,
        staging.clean_text(stage) as stage_raw,
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
            when registered_on_raw is not null and registered_on is null then 'invalid_date'
        end as rule_registered_on,
        case when stage_raw is not null and stage is null then 'unknown_code' end as rule_stage,
        case when field is null then 'missing_required' end as rule_field
    from typed
),

final as (
    select
        course_id,
        registered_on,
        stage,
        field,
        value,
        row_no,
        cast(null as integer) as cell_item_no,
        case
            when coalesce(rule_course, rule_registered_on, rule_stage, rule_field) is not null
                then list_filter(
                    [
                        staging.problem(rule_course, 'course_ref', course_id, null),
                        staging.problem(
                            rule_registered_on, 'registered_on', registered_on_raw, null
                        ),
                        staging.problem(rule_stage, 'stage', stage_raw, null),
                        staging.problem(rule_field, 'field', field, null)
                    ],
                    p -> p is not null
                )
        end as problems
    from checks
)

select * from final
