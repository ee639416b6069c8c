-- export: progression_cells
-- grain: one row per intervention, instrument and planned measurement point occurrence:
--   the total score's cell of mart_progression_by_point (series 'all', scale 'total')
--   as parts that add up across organisations (courses, score sum, sum of squares),
--   with the organisation's own hiding taken from that mart.
-- Read in the organisation's database after its build; never per-citizen rows.
-- columns:
--   intervention_id: intervention id
--   instrument_id: instrument id
--   direction: higher_is_better | higher_is_worse
--   point_id: measurement point id
--   point_order: order of the point in the plan
--   occurrence_no: occurrence of a repeating point (0 otherwise)
--   is_suppressed_locally: the organisation's own mart hides the cell
--   n_citizens: distinct citizens with a score at the point
--   n_courses: courses with a score at the point
--   score_sum: sum of the scores
--   score_sum_squares: sum of the squared scores

with

scores as (
    select * from int_scores
    where is_point_primary and is_total and score is not null and point_id is not null
),

local_mart as (
    select * from mart_progression_by_point
    where series = 'all' and scale_id = 'total'
),

aggregated as (
    select
        intervention_id,
        instrument_id,
        direction,
        point_id,
        point_order,
        occurrence_no,
        count_citizens(citizen_id, is_repeat_citizen) as n_citizens,
        count(*) as n_courses,
        sum(score) as score_sum,
        sum(score * score) as score_sum_squares
    from scores
    group by all
),

final as (
    select  -- noqa: ST06
        -- ids
        aggregated.intervention_id,
        aggregated.instrument_id,
        aggregated.direction,
        aggregated.point_id,
        aggregated.point_order,
        aggregated.occurrence_no,
        -- hiding (fails closed: a cell the mart lacks counts as hidden)
        coalesce(local_mart.is_suppressed, true) as is_suppressed_locally,
        -- parts
        aggregated.n_citizens,
        aggregated.n_courses,
        aggregated.score_sum,
        aggregated.score_sum_squares
    from aggregated
    left join local_mart
        on
            aggregated.intervention_id = local_mart.intervention_id
            and aggregated.instrument_id = local_mart.instrument_id
            and aggregated.point_id = local_mart.point_id
            and aggregated.occurrence_no = local_mart.occurrence_no
)

select * from final
