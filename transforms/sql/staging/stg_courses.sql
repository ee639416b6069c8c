-- Typed courses of one load. Reads _landing_courses: this load's landing rows
-- (landing/lnd_courses.sql), before they are written to landing.courses.
-- Output: the columns of staging.courses, lineage, and problems (null when the
-- record is clean). A course whose citizen is in no citizens table
-- (staging.citizens, this batch included) is unknown_citizen, unless the mapping
-- derives the citizens from the courses (derive_citizens: they are added after).
-- Variables (getvariable): derive_citizens, date_format, codes_intervention_id, codes_team_id,
-- codes_end_reason.
with

source as (
    select * from _landing_courses
),

typed as (
    select
        -- lineage
        row_no,
        -- ids
        staging.clean_text(course_ref) as course_id,
        staging.clean_text(citizen_id) as citizen_id,
        staging.code(getvariable('codes_intervention_id'), intervention_id) as intervention_id,
        coalesce(staging.clean_text(variant), 'standard') as variant,
        staging.code(getvariable('codes_team_id'), team_id) as team_id,
        -- dates
        staging.to_date(start_date, getvariable('date_format')) as start_date,
        staging.to_date(end_date, getvariable('date_format')) as end_date,
        -- status
        staging.code(getvariable('codes_end_reason'), end_reason) as end_reason,
        -- as received, for the checks
        staging.clean_text(intervention_id) as intervention_raw,
        staging.clean_text(team_id) as team_raw,
        staging.clean_text(start_date) as start_date_raw,
        staging.clean_text(end_date) as end_date_raw,
        staging.clean_text(end_reason) as end_reason_raw,
        coalesce(
            getvariable('derive_citizens')
            or staging.clean_text(citizen_id) in (select s.citizen_id from staging.citizens as s),
            false
        ) as is_known_citizen
    from source
),

checks as (
    select
        *,
        case
            when course_id is null then 'missing_required'
            when contains(course_id, '[CPR]') then 'cpr_in_id'
        end as rule_course,
        case
            when citizen_id is null then 'missing_required'
            when citizen_id = '[CPR?]' then 'invalid_cpr'
            when contains(citizen_id, '[CPR]') then 'cpr_in_id'
            when not is_known_citizen then 'unknown_citizen'
        end as rule_citizen,
        case
            when intervention_raw is null then 'missing_required'
            when intervention_id is null then 'unknown_code'
        end as rule_intervention,
        case when team_raw is not null and team_id is null then 'unknown_code' end as rule_team,
        case
            when start_date_raw is null then 'missing_required'
            when start_date is null then 'invalid_date'
        end as rule_start_date,
        case
            when end_date_raw is not null and end_date is null then 'invalid_date'
        end as rule_end_date,
        case
            when end_reason_raw is not null and end_reason is null then 'unknown_code'
        end as rule_end_reason
    from typed
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
        row_no,
        cast(null as integer) as cell_item_no,
        case
            when
                coalesce(
                    rule_course, rule_citizen, rule_intervention, rule_team,
                    rule_start_date, rule_end_date, rule_end_reason
                ) is not null
                then list_filter(
                    [
                        staging.problem(rule_course, 'course_ref', course_id, null),
                        staging.problem(rule_citizen, 'citizen_ref', citizen_id, null),
                        staging.problem(
                            rule_intervention, 'intervention_id', intervention_raw, null
                        ),
                        staging.problem(rule_team, 'team_id', team_raw, null),
                        staging.problem(rule_start_date, 'start_date', start_date_raw, null),
                        staging.problem(rule_end_date, 'end_date', end_date_raw, null),
                        staging.problem(rule_end_reason, 'end_reason', end_reason_raw, null)
                    ],
                    p -> p is not null
                )
        end as problems
    from checks
)

select * from final
