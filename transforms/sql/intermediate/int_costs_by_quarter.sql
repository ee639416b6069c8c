-- model: int_costs_by_quarter
-- grain: one row per intervention and quarter that has a cost export row
--   (staging.costs) or a running course (int_costs_course_quarters): the cost model
--   before any hiding.
-- Staff cost = staff hours x the configured hourly rate (ref.cost_rates). Staff hours
--   are the cost export's hours when its staff row has them (paid time, including time
--   not registered as activities), else the registered activity minutes / 60 of the
--   intervention's courses in the quarter. Without a configured rate the exported staff
--   amount is used as it is. The exported staff amount is kept beside (for finance to
--   compare); the rate wins so that every intervention is costed at its configured rate.
-- Fixed cost = the exported fixed amount, else the configured fixed_per_quarter_dkk.
-- Per-course cost = the exported per_course amount, else 0 (no config value exists).
-- Variable cost = staff + per-course cost (what is spent on the courses; the fixed
--   part is not attributable to a course). Total = staff + fixed + per-course; NULL
--   when the staff cost is unknown (no rate and no export).
-- columns:
--   intervention_id: intervention id
--   intervention_name: intervention name from config (NULL if not in config)
--   quarter: calendar quarter, YYYY-Qn
--   quarter_start: first day of the quarter
--   quarter_end: last day of the quarter
--   is_complete_quarter: true when the quarter ended before ref.settings.as_of_date
--   n_courses: courses running or with activities in the quarter
--   n_citizens: distinct citizens of those courses
--   citizen_months: sum of the courses' citizen months in the quarter
--   n_activities: activities registered in the quarter
--   activity_hours: registered activity minutes / 60
--   hourly_rate_dkk: configured cost of one staff hour (NULL when not configured)
--   export_staff_dkk: staff amount in the cost export (NULL when no staff row)
--   export_staff_hours: staff hours in the cost export (NULL when none)
--   export_fixed_dkk: fixed amount in the cost export (NULL when no fixed row)
--   export_per_course_dkk: per-course amount in the cost export (NULL when no row)
--   staff_hours: hours costed (export hours, else activity hours)
--   staff_hours_source: export | activities | NULL (no staff hours)
--   staff_cost_dkk: staff cost of the quarter (rule above)
--   staff_cost_source: export_hours_x_rate | activity_hours_x_rate | export_amount | NULL
--   fixed_cost_dkk: fixed cost of the quarter
--   fixed_cost_source: export | config | NULL
--   per_course_cost_dkk: per-course costs of the quarter
--   per_course_cost_source: export | none
--   variable_cost_dkk: staff_cost_dkk + per_course_cost_dkk
--   total_cost_dkk: staff_cost_dkk + fixed_cost_dkk + per_course_cost_dkk

with

costs as (
    select * from staging.costs
),

course_quarters as (
    select * from int_costs_course_quarters
),

rates as (
    select * from ref.cost_rates
),

interventions as (
    select * from ref.interventions
),

settings as (
    select * from ref.settings
),

exported as (
    select
        intervention_id,
        quarter,
        sum(amount_dkk) filter (where cost_type = 'staff') as export_staff_dkk,
        sum(hours) filter (where cost_type = 'staff') as export_staff_hours,
        sum(amount_dkk) filter (where cost_type = 'fixed') as export_fixed_dkk,
        sum(amount_dkk) filter (where cost_type = 'per_course') as export_per_course_dkk
    from costs
    group by all
),

activity as (
    select
        intervention_id,
        quarter,
        count(*) as n_courses,
        count_citizens(citizen_id, is_repeat_citizen) as n_citizens,
        sum(citizen_months) as citizen_months,
        sum(n_activities) as n_activities,
        sum(activity_hours) as activity_hours
    from course_quarters
    group by all
),

spine as (
    select
        intervention_id,
        quarter
    from exported
    union
    select
        intervention_id,
        quarter
    from activity
),

joined as (
    select
        spine.intervention_id,
        interventions.intervention_name,
        spine.quarter,
        rates.hourly_rate_dkk,
        rates.fixed_per_quarter_dkk,
        exported.export_staff_dkk,
        exported.export_staff_hours,
        exported.export_fixed_dkk,
        exported.export_per_course_dkk,
        make_date(
            cast(left(spine.quarter, 4) as integer),
            3 * cast(right(spine.quarter, 1) as integer) - 2,
            1
        ) as quarter_start,
        coalesce(activity.n_courses, 0) as n_courses,
        coalesce(activity.n_citizens, 0) as n_citizens,
        coalesce(activity.citizen_months, 0) as citizen_months,
        coalesce(activity.n_activities, 0) as n_activities,
        coalesce(activity.activity_hours, 0) as activity_hours
    from spine
    left join exported
        on spine.intervention_id = exported.intervention_id and spine.quarter = exported.quarter
    left join activity
        on spine.intervention_id = activity.intervention_id and spine.quarter = activity.quarter
    left join rates on spine.intervention_id = rates.intervention_id
    left join interventions on spine.intervention_id = interventions.intervention_id
),

costed as (
    select
        *,
        cast(quarter_start + interval 3 month as date) - 1 as quarter_end,
        coalesce(export_staff_hours, activity_hours) as staff_hours,
        case
            when export_staff_hours is not null then 'export'
            when activity_hours is not null then 'activities'
        end as staff_hours_source,
        case
            when hourly_rate_dkk is not null and export_staff_hours is not null
                then 'export_hours_x_rate'
            when hourly_rate_dkk is not null then 'activity_hours_x_rate'
            when export_staff_dkk is not null then 'export_amount'
        end as staff_cost_source,
        coalesce(export_fixed_dkk, fixed_per_quarter_dkk) as fixed_cost_dkk,
        case
            when export_fixed_dkk is not null then 'export'
            when fixed_per_quarter_dkk is not null then 'config'
        end as fixed_cost_source,
        coalesce(export_per_course_dkk, 0) as per_course_cost_dkk,
        case when export_per_course_dkk is not null then 'export' else 'none' end
            as per_course_cost_source
    from joined
),

with_staff as (
    select
        costed.*,
        costed.quarter_end < settings.as_of_date as is_complete_quarter,
        case
            when costed.staff_cost_source = 'export_amount' then costed.export_staff_dkk
            when costed.staff_cost_source is not null
                then costed.staff_hours * costed.hourly_rate_dkk
        end as staff_cost_dkk
    from costed
    cross join settings
),

totals as (
    select
        *,
        staff_cost_dkk + per_course_cost_dkk as variable_cost_dkk,
        staff_cost_dkk + coalesce(fixed_cost_dkk, 0) + per_course_cost_dkk as total_cost_dkk
    from with_staff
),

final as (
    select
        -- ids
        intervention_id,
        intervention_name,
        -- quarter
        quarter,
        quarter_start,
        quarter_end,
        is_complete_quarter,
        -- volume
        n_courses,
        n_citizens,
        citizen_months,
        n_activities,
        activity_hours,
        -- inputs
        hourly_rate_dkk,
        export_staff_dkk,
        export_staff_hours,
        export_fixed_dkk,
        export_per_course_dkk,
        -- cost model
        staff_hours,
        staff_hours_source,
        staff_cost_dkk,
        staff_cost_source,
        fixed_cost_dkk,
        fixed_cost_source,
        per_course_cost_dkk,
        per_course_cost_source,
        variable_cost_dkk,
        total_cost_dkk
    from totals
)

select * from final
