-- Typed goals of one load (landing.goals where load_id = $load_id).
-- Output: the columns of staging.goals, lineage, and problems (null when the record
-- is clean). A goal for a course in no courses table is unknown_course; an empty
-- weight is 1.
-- Parameters: $load_id, $date_format, $decimal.
with

source as (
    select * from landing.goals
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
        staging.clean_text(source.goal_ref) as goal_id,
        staging.clean_text(source.course_ref) as course_id,
        -- goal
        life_area_codes.value as life_area,
        goal_type_codes.value as goal_type,
        staging.to_date(source.set_on, $date_format) as set_on,
        coalesce(staging.to_number(source.weight, $decimal), 1) as weight,
        staging.clean_text(source.description) as description,
        -- lineage
        source.load_id,
        source.source_id,
        source.file_name,
        source.row_no,
        -- as received, for the checks
        staging.clean_text(source.life_area) as life_area_raw,
        staging.clean_text(source.goal_type) as goal_type_raw,
        staging.clean_text(source.set_on) as set_on_raw,
        staging.clean_text(source.weight) as weight_raw,
        staging.to_number(source.weight, $decimal) as weight_number
    from source
    left join codes as life_area_codes
        on
            life_area_codes.column_name = 'life_area'
            and life_area_codes.code = staging.clean_text(source.life_area)
    left join codes as goal_type_codes
        on
            goal_type_codes.column_name = 'goal_type'
            and goal_type_codes.code = staging.clean_text(source.goal_type)
),

checked as (
    select
        typed.*,
        list_filter(
            [
                staging.problem(
                    case
                        when typed.goal_id is null then 'missing_required'
                        when contains(typed.goal_id, '[CPR]') then 'cpr_in_id'
                    end,
                    'goal_ref', typed.goal_id, null
                ),
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
                        when typed.life_area_raw is null then 'missing_required'
                        when typed.life_area is null then 'unknown_code'
                    end,
                    'life_area', typed.life_area_raw, null
                ),
                staging.problem(
                    case
                        when typed.goal_type_raw is null then 'missing_required'
                        when typed.goal_type is null then 'unknown_code'
                    end,
                    'goal_type', typed.goal_type_raw, null
                ),
                staging.problem(
                    case when typed.set_on_raw is not null and typed.set_on is null then 'invalid_date' end,
                    'set_on', typed.set_on_raw, null
                ),
                staging.problem(
                    case
                        when typed.weight_raw is not null and typed.weight_number is null
                            then 'invalid_number'
                    end,
                    'weight', typed.weight_raw, null
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
        goal_id,
        course_id,
        life_area,
        goal_type,
        set_on,
        weight,
        description,
        load_id,
        source_id,
        file_name,
        row_no,
        cast(null as integer) as cell_item_no,
        nullif(problems, []) as problems
    from checked
)

select * from final
