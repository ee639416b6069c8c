-- model: mart_costs_by_quarter
-- grain: one row per intervention and quarter (int_costs_by_quarter): what the
--   intervention cost, by kind, with the courses and citizens it served.
-- Cost rules in int_costs_by_quarter (staff hours x rate, fixed, per-course). Hiding:
--   small_cell  fewer than k citizens in the quarter, decided by the one suppression
--               macro (suppress_small_cells, macros/suppression.sql; each cell is its own
--               group): every count and amount except the fixed cost is NULL;
--   dominance   one course accounts for more than ref.cost_settings.dominance_share of
--               the variable cost (staff + per-course; allocation in
--               int_costs_course_shares): the amounts except the fixed cost are NULL,
--               the counts of courses, citizens and citizen months stay (they do not
--               reveal the course's cost; activity counts and hours do, and are hidden).
--               A cost-specific rule (a total can reveal one expensive course whatever
--               the number of citizens), so it stays here and not in the macro.
--   The fixed cost is not attributable to a course and stays visible. Quarters are never
--   summed here; a total over quarters or interventions that includes a hidden cell
--   must not be published.
-- columns:
--   intervention_id: intervention id
--   intervention_name: intervention name from config
--   quarter: calendar quarter, YYYY-Qn
--   quarter_start: first day of the quarter
--   quarter_end: last day of the quarter
--   is_complete_quarter: true when the quarter ended before the build's as-of date
--   suppression_group: the cell itself (intervention and quarter)
--   is_suppressed: true when the amounts are hidden
--   suppression_reason: small_cell | dominance | NULL
--   is_dominated: true when one course makes up more than the dominance share
--   dominance_share_limit: the configured dominance share (0-1)
--   hourly_rate_dkk: configured cost of one staff hour
--   staff_hours_source: export | activities
--   staff_cost_source: export_hours_x_rate | activity_hours_x_rate | export_amount | NULL
--   fixed_cost_source: export | config | NULL
--   per_course_cost_source: export | none
--   n_courses: courses running or with activities in the quarter
--   n_citizens: distinct citizens of those courses
--   n_citizen_months: citizen months in the quarter
--   n_activities: registered activities
--   n_activity_hours: registered activity hours
--   n_staff_hours: staff hours costed
--   staff_cost_dkk: staff cost (hours x rate)
--   fixed_cost_dkk: fixed cost
--   per_course_cost_dkk: per-course costs
--   variable_cost_dkk: staff + per-course cost
--   total_cost_dkk: staff + fixed + per-course cost
--   export_staff_dkk: staff amount as exported (for comparison with hours x rate)

with

quarters as (
    select * from int_costs_by_quarter
),

course_shares as (
    select * from int_costs_course_shares
),

cost_settings as (
    select * from ref.cost_settings
),

largest_share as (
    select
        intervention_id,
        quarter,
        max(share_of_variable_cost) as max_course_share
    from course_shares
    group by all
),

-- the cells as the suppression macro reads them: counts under their n_ names, so the
-- macro hides them in a small cell
cells as (  -- noqa: ST03
    select
        quarters.intervention_id,
        quarters.intervention_name,
        quarters.quarter,
        quarters.quarter_start,
        quarters.quarter_end,
        quarters.is_complete_quarter,
        quarters.hourly_rate_dkk,
        quarters.staff_hours_source,
        quarters.staff_cost_source,
        quarters.fixed_cost_source,
        quarters.per_course_cost_source,
        quarters.fixed_cost_dkk,
        quarters.staff_cost_dkk,
        quarters.per_course_cost_dkk,
        quarters.variable_cost_dkk,
        quarters.total_cost_dkk,
        quarters.export_staff_dkk,
        quarters.n_courses,
        quarters.n_citizens,
        quarters.citizen_months as n_citizen_months,
        quarters.n_activities,
        quarters.activity_hours as n_activity_hours,
        quarters.staff_hours as n_staff_hours,
        cost_settings.dominance_share as dominance_share_limit,
        coalesce(largest_share.max_course_share > cost_settings.dominance_share, false)
            as is_dominated,
        concat_ws('|', quarters.intervention_id, quarters.quarter) as suppression_group
    from quarters
    left join largest_share
        on
            quarters.intervention_id = largest_share.intervention_id
            and quarters.quarter = largest_share.quarter
    cross join cost_settings
),

-- small cells: the one suppression macro (one cell per group, so never complementary)
small_cells as (
    select * from suppress_small_cells(cells)
),

hidden as (
    select
        intervention_id,
        intervention_name,
        quarter,
        quarter_start,
        quarter_end,
        is_complete_quarter,
        is_dominated,
        dominance_share_limit,
        hourly_rate_dkk,
        staff_hours_source,
        staff_cost_source,
        fixed_cost_source,
        per_course_cost_source,
        fixed_cost_dkk,
        suppression_group,
        -- counts: hidden by the macro in a small cell; the activity counts and hours
        -- also under dominance (hours x rate would give the staff cost back)
        n_courses,
        n_citizens,
        n_citizen_months,
        is_suppressed or is_dominated as is_suppressed,
        coalesce(suppression_reason, case when is_dominated then 'dominance' end)
            as suppression_reason,
        case when not is_dominated then n_activities end as n_activities,
        case when not is_dominated then n_activity_hours end as n_activity_hours,
        case when not is_dominated then n_staff_hours end as n_staff_hours,
        -- amounts: hidden under either rule, except the fixed cost
        case when not (is_suppressed or is_dominated) then staff_cost_dkk end
            as staff_cost_dkk,
        case when not (is_suppressed or is_dominated) then per_course_cost_dkk end
            as per_course_cost_dkk,
        case when not (is_suppressed or is_dominated) then variable_cost_dkk end
            as variable_cost_dkk,
        case when not (is_suppressed or is_dominated) then total_cost_dkk end
            as total_cost_dkk,
        case when not (is_suppressed or is_dominated) then export_staff_dkk end
            as export_staff_dkk
    from small_cells
),

final as (
    select
        -- ids
        intervention_id,
        intervention_name,
        quarter,
        quarter_start,
        quarter_end,
        is_complete_quarter,
        -- hiding
        suppression_group,
        is_suppressed,
        suppression_reason,
        is_dominated,
        dominance_share_limit,
        -- how the costs were found
        hourly_rate_dkk,
        staff_hours_source,
        staff_cost_source,
        fixed_cost_source,
        per_course_cost_source,
        -- counts
        n_courses,
        n_citizens,
        n_citizen_months,
        n_activities,
        n_activity_hours,
        n_staff_hours,
        -- amounts
        staff_cost_dkk,
        fixed_cost_dkk,
        per_course_cost_dkk,
        variable_cost_dkk,
        total_cost_dkk,
        export_staff_dkk
    from hidden
)

select * from final
