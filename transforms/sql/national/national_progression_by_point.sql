-- model: national_progression_by_point
-- grain: one row per intervention, instrument and planned measurement point occurrence,
--   summed over the organisations whose export is in the roll-up: the mean total score
--   at the point (series 'all'), with n.
-- Hiding, after summing (k = ref.settings.small_cell_k):
--   1. a cell holding a part its organisation hides locally is hidden when that hidden
--      part could be recovered from the national figure and the other organisations'
--      shown figures: when exactly one organisation hides its part, or when the hidden
--      parts together cover fewer than k citizens (reason hidden_locally);
--   2. then suppress_small_cells: fewer than k citizens in all (small_cell).
--   3 + 3 (two organisations hiding 3 each) shows as 6; 3 + 10 stays hidden.
-- columns:
--   intervention_id: intervention id
--   instrument_id: instrument id
--   direction: higher_is_better | higher_is_worse
--   point_id: measurement point id
--   point_order: order of the point in the plan
--   occurrence_no: occurrence of a repeating point (0 otherwise)
--   organisations: organisations with a part in the cell
--   organisations_hidden_locally: organisations whose own mart hides their part
--   suppression_group: the cell itself (no totals across points)
--   is_suppressed: true when the cell's values are hidden
--   suppression_reason: hidden_locally | small_cell | NULL
--   n_citizens: citizens with a score at the point, summed over organisations
--   n_courses: courses with a score at the point
--   mean_score: mean score
--   sd_score: standard deviation of the scores (from the summed parts)

with

parts as (
    select * from exchange_progression_cells
),

settings as (
    select * from ref.settings
),

summed as (
    select
        intervention_id,
        instrument_id,
        direction,
        point_id,
        point_order,
        occurrence_no,
        count(*) as organisations,
        count(*) filter (where is_suppressed_locally) as organisations_hidden_locally,
        coalesce(sum(n_citizens) filter (where is_suppressed_locally), 0)
            as citizens_hidden_locally,
        sum(n_citizens) as citizens_total,
        sum(n_courses) as courses_total,
        sum(score_sum) as score_sum,
        sum(score_sum_squares) as score_sum_squares
    from parts
    group by all
),

judged as (
    select
        *,
        organisations_hidden_locally = 1
        or (
            organisations_hidden_locally > 1
            and citizens_hidden_locally < (select s.small_cell_k from settings as s)
        ) as is_recoverable
    from summed
),

-- cells is read by name inside the suppression macro, which sqlfluff cannot see
cells as (  -- noqa: ST03
    select  -- noqa: ST06
        intervention_id,
        instrument_id,
        direction,
        point_id,
        point_order,
        occurrence_no,
        organisations,
        organisations_hidden_locally,
        is_recoverable,
        -- a recoverable cell enters the macro as empty, so the macro hides it
        if(is_recoverable, 0, citizens_total) as n_citizens,
        courses_total as n_courses,
        score_sum / courses_total as mean_score,
        sqrt(
            greatest(score_sum_squares - score_sum * score_sum / courses_total, 0)
            / nullif(courses_total - 1, 0)
        ) as sd_score,
        concat_ws('|', intervention_id, instrument_id, point_id, occurrence_no)
            as suppression_group
    from judged
),

suppressed as (
    select * from suppress_small_cells(cells)
),

final as (
    select  -- noqa: ST06
        -- ids
        intervention_id,
        instrument_id,
        direction,
        point_id,
        point_order,
        occurrence_no,
        organisations,
        organisations_hidden_locally,
        -- hiding
        suppression_group,
        is_suppressed,
        if(is_recoverable, 'hidden_locally', suppression_reason) as suppression_reason,
        -- values
        n_citizens,
        n_courses,
        mean_score,
        sd_score
    from suppressed
)

select * from final
