-- model: mart_results_vs_expected
-- grain: one row per intervention, outcome instrument, group kind (team | variant) and
--   group: results against the expected course, adjusted for intake severity.
-- Per course the last scored point judged by the expected course (flag_rule
--   'expected_course', fit set 'all'); gap = (score - expected score for the course's
--   intake) x direction_sign, so a positive mean gap is better than expected for
--   citizens with the same intake. 95 % interval of the mean by the normal
--   approximation (mean_ci_low / mean_ci_high). Groups of one kind share a suppression
--   group, so a hidden group cannot be recovered from the others.
-- columns:
--   intervention_id: intervention id
--   instrument_id: instrument id
--   group_kind: team | variant
--   group_id: team id or variant
--   suppression_group: intervention|instrument|group_kind
--   is_suppressed: true when the cell is hidden (small cell or complementary)
--   suppression_reason: small_cell | complementary | NULL
--   n_citizens: distinct citizens in the group
--   n_courses: courses in the group
--   mean_gap: mean gap to the expected score (points, > 0 = better than expected)
--   sd_gap: standard deviation of the gap
--   ci_low: lower end of the mean gap's 95 % interval
--   ci_high: upper end of the mean gap's 95 % interval
--   share_red: share of the courses whose last judged point is flagged red

with

flags as (
    select * from int_course_flags
    where fit_set = 'all'
),

last_judged as (
    select * from flags
    where flag_rule = 'expected_course'
    qualify row_number() over (
        partition by course_id, instrument_id order by point_rank desc
    ) = 1
),

grouped as (
    select
        'team' as group_kind,
        team_id as group_id,
        *
    from last_judged
    union all
    select
        'variant' as group_kind,
        variant as group_id,
        *
    from last_judged
),

aggregated as (
    select
        intervention_id,
        instrument_id,
        group_kind,
        group_id,
        count_citizens(citizen_id, is_repeat_citizen) as n_citizens,
        count(*) as n_courses,
        avg(gap) as mean_gap,
        stddev_samp(gap) as sd_gap,
        mean_ci_low(avg(gap), stddev_samp(gap), count(*)) as ci_low,
        mean_ci_high(avg(gap), stddev_samp(gap), count(*)) as ci_high,
        count(*) filter (where flag = 'red') / count(*) as share_red
    from grouped
    group by intervention_id, instrument_id, group_kind, group_id
),

cells as (  -- noqa: ST03
    select
        *,
        concat_ws('|', intervention_id, instrument_id, group_kind) as suppression_group
    from aggregated
),

suppressed as (
    select * from suppress_small_cells(cells)
),

final as (
    select
        intervention_id,
        instrument_id,
        group_kind,
        group_id,
        suppression_group,
        is_suppressed,
        suppression_reason,
        n_citizens,
        n_courses,
        mean_gap,
        sd_gap,
        ci_low,
        ci_high,
        share_red
    from suppressed
)

select * from final
