-- model: int_point_score_series
-- grain: one row per series ('all', 'cohort'), course, instrument, scale and planned
--   measurement point occurrence with a score (int_point_scores, once per series it
--   belongs to), with the columns the progression marts group and average by.
-- materialized: temporary
-- incremental: course_id
-- The two series of the progression figures (handbook figs. 7 to 9): 'all' = every
--   course with a score at the point; 'cohort' = only courses with a score at every
--   planned point of the instrument (is_cohort). first_point_order is the instrument's
--   first planned point, where change_since_start is measured from. Read by
--   mart_progression_by_point and mart_group_comparison.
-- columns:
--   series: all | cohort
--   course_id: course id (what an incremental build redoes the rows by)
--   intervention_id: intervention id
--   variant: intervention variant
--   age_band: age band at course start
--   citizen_id: pseudonymised citizen id
--   is_repeat_citizen: true when the citizen has more than one course in the intervention
--   instrument_id: instrument id
--   scale_id: 'total' or a subscale id
--   direction: higher_is_better | higher_is_worse
--   point_id: measurement point id
--   point_order: order of the point in the plan
--   occurrence_no: occurrence of a repeating point (0 otherwise)
--   first_point_order: order of the instrument's first planned point
--   score: scale score
--   change_from_start: score - the course's own score at the first planned point (NULL
--     when the course has none there); in the cohort series every course has one, so
--     its mean is the cohort's change_since_start and its spread gives that change's
--     interval (mart_group_comparison)

with

point_scores as (
    select * from int_point_scores
),

plan as (
    select * from ref.measurement_plan
),

first_points as (
    select
        intervention_id,
        instrument_id,
        min(point_order) as first_point_order
    from plan
    group by intervention_id, instrument_id
),

series as (
    select
        'all' as series,
        *
    from point_scores
    union all
    select
        'cohort' as series,
        *
    from point_scores
    where is_cohort
),

final as (
    select
        series.series,
        series.course_id,
        series.intervention_id,
        series.variant,
        series.age_band,
        series.citizen_id,
        series.is_repeat_citizen,
        series.instrument_id,
        series.scale_id,
        series.direction,
        series.point_id,
        series.point_order,
        series.occurrence_no,
        first_points.first_point_order,
        series.score,
        series.score - max(series.score) filter (
            where
            series.point_order = first_points.first_point_order
            and series.occurrence_no = 0
        ) over (
            partition by series.series, series.course_id, series.instrument_id, series.scale_id
        ) as change_from_start
    from series
    inner join first_points
        on
            series.intervention_id = first_points.intervention_id
            and series.instrument_id = first_points.instrument_id
)

select * from final
