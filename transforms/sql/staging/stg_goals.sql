-- Typed goals of one load. Reads _landing_goals: this load's landing rows
-- (landing/lnd_goals.sql), before they are written to landing.goals.
-- Output: the columns of staging.goals, lineage, and problems (null when the record
-- is clean). A goal for a course in no courses table is unknown_course; an empty
-- weight is 1.
-- Variables (getvariable): date_format, decimal, codes_life_area, codes_goal_type.
with

source as (
    select * from _landing_goals
),

typed as (
    select
        -- lineage
        row_no,
        -- ids
        staging.clean_text(goal_ref) as goal_id,
        staging.clean_text(course_ref) as course_id,
        -- goal
        staging.code(getvariable('codes_life_area'), life_area) as life_area,
        staging.code(getvariable('codes_goal_type'), goal_type) as goal_type,
        staging.to_date(set_on, getvariable('date_format')) as set_on,
        coalesce(staging.to_number(weight, getvariable('decimal')), 1) as weight,
        staging.clean_text(description) as description,
        -- as received, for the checks
        staging.clean_text(life_area) as life_area_raw,
        staging.clean_text(goal_type) as goal_type_raw,
        staging.clean_text(set_on) as set_on_raw,
        staging.clean_text(weight) as weight_raw,
        staging.to_number(weight, getvariable('decimal')) as weight_number,
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
            when goal_id is null then 'missing_required'
            when contains(goal_id, '[CPR]') then 'cpr_in_id'
        end as rule_goal,
        case
            when course_id is null then 'missing_required'
            when contains(course_id, '[CPR]') then 'cpr_in_id'
            when not is_known_course then 'unknown_course'
        end as rule_course,
        case
            when life_area_raw is null then 'missing_required'
            when life_area is null then 'unknown_code'
        end as rule_life_area,
        case
            when goal_type_raw is null then 'missing_required'
            when goal_type is null then 'unknown_code'
        end as rule_goal_type,
        case when set_on_raw is not null and set_on is null then 'invalid_date' end as rule_set_on,
        case
            when weight_raw is not null and weight_number is null then 'invalid_number'
        end as rule_weight
    from typed
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
        row_no,
        cast(null as integer) as cell_item_no,
        case
            when
                coalesce(
                    rule_goal, rule_course, rule_life_area, rule_goal_type, rule_set_on, rule_weight
                ) is not null
                then list_filter(
                    [
                        staging.problem(rule_goal, 'goal_ref', goal_id, null),
                        staging.problem(rule_course, 'course_ref', course_id, null),
                        staging.problem(rule_life_area, 'life_area', life_area_raw, null),
                        staging.problem(rule_goal_type, 'goal_type', goal_type_raw, null),
                        staging.problem(rule_set_on, 'set_on', set_on_raw, null),
                        staging.problem(rule_weight, 'weight', weight_raw, null)
                    ],
                    p -> p is not null
                )
        end as problems
    from checks
)

select * from final
