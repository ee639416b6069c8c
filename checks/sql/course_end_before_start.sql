-- rule: course_end_before_start
-- table: staging.courses
-- checked: chk_courses
-- figures: all
-- description: A course ends before it starts.
-- fix: Correct the start or end date of the course in the source system.

with

courses as (
    select * from chk_courses
),

final as (
    select
        'course_end_before_start' as rule_id,
        chk_severity('course_end_before_start') as severity,
        'staging.courses' as table_name,
        intervention_id,
        team_id,
        course_id,
        end_date as event_date,
        date_diff('day', start_date, end_date)::double as observed,
        'course ends ' || strftime(end_date, '%Y-%m-%d') || ', before its start '
        || strftime(start_date, '%Y-%m-%d') as reason,
        file_name,
        row_no
    from courses
    where end_date < start_date
)

select * from final
