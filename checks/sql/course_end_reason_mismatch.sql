-- rule: course_end_reason_mismatch
-- table: staging.courses
-- checked: chk_courses
-- figures: mart_group_comparison, mart_citizen_courses
-- description: A course has an end date but no end reason, or an end reason but no end
--   date, so its case status (open, closed as planned, closed unplanned) is uncertain.
-- fix: Register the end reason (or remove it from the open course) in the source system.

with

courses as (
    select * from chk_courses
),

final as (
    select
        'course_end_reason_mismatch' as rule_id,
        chk_severity('course_end_reason_mismatch') as severity,
        'staging.courses' as table_name,
        intervention_id,
        team_id,
        course_id,
        coalesce(end_date, start_date) as event_date,
        case
            when end_date is not null
                then 'course ended ' || strftime(end_date, '%Y-%m-%d') || ' without an end reason'
            else 'course has end reason ' || end_reason || ' but no end date'
        end as reason,
        file_name,
        row_no
    from courses
    where (end_date is null) != (end_reason is null)
)

select * from final
