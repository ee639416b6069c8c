-- model: int_costs_course_shares
-- grain: one row per course and quarter (int_costs_course_quarters): the part of its
--   intervention's variable cost (staff + per-course, int_costs_by_quarter) that the
--   course accounts for. Per-course costs from activity data; used by the dominance rule.
-- materialized: view
-- A view: every new as-of date moves the open courses' days and every quarter's totals,
--   so the table was rewritten whole each day (304 000 rows at 100 000 courses, 0.4-1.4
--   CPU s); its one reader, mart_costs_by_quarter, computes it in about 0.06 s.
-- Allocation: the staff cost by the course's share of the registered activity minutes
--   of its intervention in the quarter (equal shares when no minutes are registered);
--   the per-course cost in equal shares over the quarter's courses.
-- columns:
--   course_id: course id
--   citizen_id: pseudonymised citizen id
--   intervention_id: intervention id
--   quarter: calendar quarter, YYYY-Qn
--   activity_minutes: the course's registered staff minutes in the quarter
--   activity_cost_dkk: activity minutes / 60 x the hourly rate (the course's direct
--     registered staff time, priced; NULL without a rate)
--   staff_share: the course's share of the quarter's staff cost (0-1)
--   course_staff_cost_dkk: staff_cost_dkk x staff_share
--   course_per_course_cost_dkk: per_course_cost_dkk / courses in the quarter
--   course_cost_dkk: course_staff_cost_dkk + course_per_course_cost_dkk
--   share_of_variable_cost: course_cost_dkk / the quarter's variable_cost_dkk (NULL when
--     the variable cost is 0 or unknown)

with

course_quarters as (
    select * from int_costs_course_quarters
),

quarters as (
    select * from int_costs_by_quarter
),

minutes as (
    select
        intervention_id,
        quarter,
        sum(activity_minutes) as total_minutes
    from course_quarters
    group by all
),

shared as (
    select
        course_quarters.course_id,
        course_quarters.citizen_id,
        course_quarters.intervention_id,
        course_quarters.quarter,
        course_quarters.activity_minutes,
        quarters.staff_cost_dkk,
        quarters.per_course_cost_dkk,
        quarters.variable_cost_dkk,
        quarters.n_courses,
        course_quarters.activity_hours * quarters.hourly_rate_dkk as activity_cost_dkk,
        case
            when minutes.total_minutes > 0
                then course_quarters.activity_minutes / minutes.total_minutes
            else 1.0 / quarters.n_courses
        end as staff_share
    from course_quarters
    inner join quarters
        on
            course_quarters.intervention_id = quarters.intervention_id
            and course_quarters.quarter = quarters.quarter
    inner join minutes
        on
            course_quarters.intervention_id = minutes.intervention_id
            and course_quarters.quarter = minutes.quarter
),

final as (
    select
        course_id,
        citizen_id,
        intervention_id,
        quarter,
        activity_minutes,
        activity_cost_dkk,
        staff_share,
        staff_cost_dkk * staff_share as course_staff_cost_dkk,
        per_course_cost_dkk / n_courses as course_per_course_cost_dkk,
        staff_cost_dkk * staff_share + per_course_cost_dkk / n_courses as course_cost_dkk,
        (staff_cost_dkk * staff_share + per_course_cost_dkk / n_courses)
        / nullif(variable_cost_dkk, 0) as share_of_variable_cost
    from shared
)

select * from final
