-- model: mart_intervention_basis_by_quarter
-- grain: one row per intervention, quarter and case status (and one 'all' row): the
--   courses and citizens active in the quarter (started on or before its last day and
--   not ended before its first), what the intervention pack's numbers rest on. Quarters
--   run from the first course start to the quarter of ref.settings.as_of_date.
-- Case status is the course's status now (int_courses). The status rows add up to the
--   'all' row, so they share one suppression group: a hidden status hides the next
--   smallest too; the 'all' row is a group of its own. A status no course has has no row.
-- columns:
--   intervention_id: intervention id
--   period: quarter, YYYY-Qn
--   period_start: first day of the quarter
--   period_end: last day of the quarter
--   case_status: all | open | closed_planned | closed_unplanned
--   suppression_group: intervention, quarter and 'all' or 'status'
--   is_suppressed: true when the cell's values are hidden
--   suppression_reason: small_cell | complementary | NULL
--   n_citizens: distinct citizens with an active course
--   n_courses: active courses

with

courses as (
    select * from int_courses
),

settings as (
    select * from ref.settings
),

bounds as (
    select
        date_trunc('quarter', min(courses.start_date)) as first_quarter,
        date_trunc('quarter', any_value(settings.as_of_date)) as last_quarter
    from courses
    cross join settings
),

quarter_starts as (
    select
        unnest(generate_series(first_quarter, last_quarter, interval 3 month))
            as quarter_start
    from bounds
),

quarters as (
    select
        cast(quarter_start as date) as period_start,
        cast(quarter_start + interval 3 month - interval 1 day as date) as period_end,
        strftime(quarter_start, '%Y') || '-Q' || quarter(quarter_start) as period
    from quarter_starts
),

active as (
    select
        courses.intervention_id,
        courses.course_id,
        courses.citizen_id,
        courses.case_status,
        quarters.period,
        quarters.period_start,
        quarters.period_end
    from courses
    inner join quarters
        on
            courses.start_date <= quarters.period_end
            and (courses.end_date is null or courses.end_date >= quarters.period_start)
),

by_status as (
    select * from active
    union all
    select * replace ('all' as case_status) from active
),

aggregated as (
    select
        intervention_id,
        period,
        period_start,
        period_end,
        case_status,
        count(distinct citizen_id) as n_citizens,
        count(*) as n_courses
    from by_status
    group by all
),

-- cells is read by name inside the suppression macro, which sqlfluff cannot see
cells as (  -- noqa: ST03
    select
        *,
        concat_ws(
            '|', intervention_id, period, if(case_status = 'all', 'all', 'status')
        ) as suppression_group
    from aggregated
),

suppressed as (
    select * from suppress_small_cells(cells)
),

final as (
    select
        suppressed.intervention_id,
        suppressed.period,
        suppressed.period_start,
        suppressed.period_end,
        suppressed.case_status,
        suppressed.suppression_group,
        suppressed.is_suppressed,
        suppressed.suppression_reason,
        suppressed.n_citizens,
        suppressed.n_courses
    from suppressed
)

select * from final
