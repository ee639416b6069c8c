-- model: int_point_score_series
-- grain: one row per series ('all', 'cohort'), course, instrument, scale and planned
--   measurement point occurrence with a score (int_point_scores, once per series it
--   belongs to).
-- materialized: temporary
-- The two series of the progression figures (handbook figs. 7 to 9): 'all' = every
--   course with a score at the point; 'cohort' = only courses with a score at every
--   planned point of the instrument (is_cohort). first_point_order is the instrument's
--   first planned point, where change_since_start is measured from. Read by
--   mart_progression_by_point and mart_group_comparison.
-- columns:
--   course_id: course id
--   citizen_id: pseudonymised citizen id
--   is_repeat_citizen: true when the citizen has more than one course in the intervention
--   intervention_id: intervention id
--   variant: intervention variant
--   gender: citizen gender
--   age_band: age band at course start
--   start_year: year of course start
--   case_status: open | closed_planned | closed_unplanned
--   instrument_id: instrument id
--   scale_id: 'total' or a subscale id
--   direction: higher_is_better | higher_is_worse
--   point_id: measurement point id
--   point_order: order of the point in the plan
--   occurrence_no: occurrence of a repeating point (0 otherwise)
--   form_id: the primary form at this point
--   measured_on: date of the form
--   score: scale score
--   improvement_since_start: change since the course baseline, direction-adjusted
--   rci_class: reliable change class at this point (NULL at the baseline)
--   n_points_planned: distinct planned points of the instrument in the plan
--   n_points_scored: distinct planned points the course has a score at
--   is_cohort: true when the course has a score at every planned point
--   series: all | cohort
--   first_point_order: order of the instrument's first planned point

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
        *,
        'all' as series
    from point_scores
    union all
    select
        *,
        'cohort' as series
    from point_scores
    where is_cohort
),

final as (
    select
        series.*,
        first_points.first_point_order
    from series
    inner join first_points
        on
            series.intervention_id = first_points.intervention_id
            and series.instrument_id = first_points.instrument_id
)

select * from final  -- noqa: AM04
