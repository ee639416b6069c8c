-- model: mart_citizen_courses
-- grain: one row per course: case status and measurement follow-up at a glance
--   (citizen-level meetings; not suppressed, for staff on the course).
-- incremental: course_id
-- columns:
--   course_id: course id
--   citizen_id: pseudonymised citizen id
--   intervention_id: intervention id
--   intervention_name: intervention name
--   variant: intervention variant
--   team_id: team id
--   start_date: course start
--   end_date: course end (NULL while open)
--   end_reason: completed_planned | dropped_out | moved | referred_on | NULL
--   case_status: open | closed_planned | closed_unplanned
--   gender: citizen gender
--   age_at_start: age in whole years at course start
--   age_band: age band at course start
--   last_measured_on: date of the latest form
--   n_forms: forms (incl. goal-rating dates) on the course
--   n_points_due: planned points due so far (collected or overdue)
--   n_points_collected: planned points with a form
--   n_points_overdue: planned points overdue without a form
--   n_goals: goals set on the course
--   n_goals_assessed: goals with an attainment category

with

courses as (
    select * from int_courses
),

form_points as (
    select * from int_form_points
),

point_status as (
    select * from int_point_status
),

goals as (
    select * from int_goal_attainment
),

form_counts as (
    select
        course_id,
        count(*) as n_forms,
        max(measured_on) as last_measured_on
    from form_points
    group by course_id
),

point_counts as (
    select
        course_id,
        count(*) filter (where is_due) as n_points_due,
        count(*) filter (where is_collected) as n_points_collected,
        count(*) filter (where status = 'overdue') as n_points_overdue
    from point_status
    group by course_id
),

goal_counts as (
    select
        course_id,
        count(*) as n_goals,
        count(category) as n_goals_assessed
    from goals
    group by course_id
),

final as (
    select
        courses.course_id,
        courses.citizen_id,
        courses.intervention_id,
        courses.intervention_name,
        courses.variant,
        courses.team_id,
        courses.start_date,
        courses.end_date,
        courses.end_reason,
        courses.case_status,
        courses.gender,
        courses.age_at_start,
        courses.age_band,
        form_counts.last_measured_on,
        coalesce(form_counts.n_forms, 0) as n_forms,
        coalesce(point_counts.n_points_due, 0) as n_points_due,
        coalesce(point_counts.n_points_collected, 0) as n_points_collected,
        coalesce(point_counts.n_points_overdue, 0) as n_points_overdue,
        coalesce(goal_counts.n_goals, 0) as n_goals,
        coalesce(goal_counts.n_goals_assessed, 0) as n_goals_assessed
    from courses
    left join form_counts on courses.course_id = form_counts.course_id
    left join point_counts on courses.course_id = point_counts.course_id
    left join goal_counts on courses.course_id = goal_counts.course_id
)

select * from final
