-- Typed courses of one load (landing.courses where load_id = $load_id).
-- Output: the columns of staging.courses, lineage, and problems (list of
-- {rule, column, value, detail}, null when the record is clean). A course whose
-- citizen is in no citizens table (staging.citizens, this batch included) is
-- unknown_citizen.
-- Parameters: $load_id, $date_format.
with

source as (
    select * from landing.courses
    where load_id = $load_id
),

codes as (
    select * from _codes
),

known_citizens as (
    select citizen_id from staging.citizens
),

typed as (
    select
        -- ids
        staging.clean_text(source.course_ref) as course_id,
        staging.clean_text(source.citizen_id) as citizen_id,
        intervention_codes.value as intervention_id,
        coalesce(staging.clean_text(source.variant), 'standard') as variant,
        team_codes.value as team_id,
        -- dates
        staging.to_date(source.start_date, $date_format) as start_date,
        staging.to_date(source.end_date, $date_format) as end_date,
        -- status
        end_reason_codes.value as end_reason,
        -- lineage
        source.load_id,
        source.source_id,
        source.file_name,
        source.row_no,
        -- as received, for the checks
        staging.clean_text(source.intervention_id) as intervention_raw,
        staging.clean_text(source.team_id) as team_raw,
        staging.clean_text(source.start_date) as start_date_raw,
        staging.clean_text(source.end_date) as end_date_raw,
        staging.clean_text(source.end_reason) as end_reason_raw
    from source
    left join codes as intervention_codes
        on
            intervention_codes.column_name = 'intervention_id'
            and intervention_codes.code = staging.clean_text(source.intervention_id)
    left join codes as team_codes
        on
            team_codes.column_name = 'team_id'
            and team_codes.code = staging.clean_text(source.team_id)
    left join codes as end_reason_codes
        on
            end_reason_codes.column_name = 'end_reason'
            and end_reason_codes.code = staging.clean_text(source.end_reason)
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
                    end,
                    'course_ref', typed.course_id, null
                ),
                staging.problem(
                    case
                        when typed.citizen_id is null then 'missing_required'
                        when contains(typed.citizen_id, '[CPR]') then 'cpr_in_id'
                        when known_citizens.citizen_id is null then 'unknown_citizen'
                    end,
                    'citizen_ref', typed.citizen_id, null
                ),
                staging.problem(
                    case
                        when typed.intervention_raw is null then 'missing_required'
                        when typed.intervention_id is null then 'unknown_code'
                    end,
                    'intervention_id', typed.intervention_raw, null
                ),
                staging.problem(
                    case when typed.team_raw is not null and typed.team_id is null then 'unknown_code' end,
                    'team_id', typed.team_raw, null
                ),
                staging.problem(
                    case
                        when typed.start_date_raw is null then 'missing_required'
                        when typed.start_date is null then 'invalid_date'
                    end,
                    'start_date', typed.start_date_raw, null
                ),
                staging.problem(
                    case
                        when typed.end_date_raw is not null and typed.end_date is null
                            then 'invalid_date'
                    end,
                    'end_date', typed.end_date_raw, null
                ),
                staging.problem(
                    case
                        when typed.end_reason_raw is not null and typed.end_reason is null
                            then 'unknown_code'
                    end,
                    'end_reason', typed.end_reason_raw, null
                )
            ],
            p -> p is not null
        ) as problems
    from typed
    left join known_citizens
        on typed.citizen_id = known_citizens.citizen_id
),

final as (
    select
        course_id,
        citizen_id,
        intervention_id,
        variant,
        team_id,
        start_date,
        end_date,
        end_reason,
        load_id,
        source_id,
        file_name,
        row_no,
        cast(null as integer) as cell_item_no,
        nullif(problems, []) as problems
    from checked
)

select * from final
