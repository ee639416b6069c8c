-- rule: event_outside_course
-- table: staging.goal_ratings
-- checked: chk_other_rows
-- tables: staging.goal_ratings, staging.activities
-- figures: mart_goal_attainment_by_area, mart_citizen_goals
-- description: A goal rating or activity is dated more than event_grace_days before its
--   course started or after it ended.
-- fix: Correct the date, or move the row to the course it belongs to.

with

other_rows as (
    select * from chk_other_rows
),

params as (
    select * from chk_params
),

final as (
    select
        'event_outside_course' as rule_id,
        chk_severity('event_outside_course') as severity,
        other_rows.table_name,
        other_rows.intervention_id,
        other_rows.team_id,
        other_rows.staff_id,
        other_rows.course_id,
        other_rows.event_date,
        case
            when other_rows.event_date < other_rows.course_start
                then date_diff('day', other_rows.event_date, other_rows.course_start)
            else date_diff('day', other_rows.course_end, other_rows.event_date)
        end::double as observed,
        case
            when other_rows.event_date < other_rows.course_start
                then 'dated ' || date_diff('day', other_rows.event_date, other_rows.course_start)
                    || ' days before the course started'
            else 'dated ' || date_diff('day', other_rows.course_end, other_rows.event_date)
                || ' days after the course ended'
        end as reason,
        other_rows.file_name,
        other_rows.row_no
    from other_rows
    cross join params
    where
        other_rows.table_name in ('staging.goal_ratings', 'staging.activities')
        and other_rows.has_parent
        and (
            other_rows.event_date
            < other_rows.course_start - params.event_grace_days::integer
            or other_rows.event_date
            > other_rows.course_end + params.event_grace_days::integer
        )
)

select * from final
