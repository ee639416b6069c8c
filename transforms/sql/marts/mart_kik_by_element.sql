-- model: mart_kik_by_element
-- grain: one row per intervention and core element with at least one valid fidelity
--   (KiK) rating: the mean rating over every valid rating of the intervention's courses,
--   and how many citizens were rated. Each element is a cell of its own (means do not
--   add up), hidden below k citizens.
-- columns:
--   intervention_id: intervention id
--   element_no: position of the core element (= item number)
--   core_element_id: core element id (NULL when the item has no core element)
--   suppression_group: the cell itself
--   is_suppressed: true when the cell's values are hidden
--   suppression_reason: small_cell | NULL
--   n_citizens: distinct citizens with a valid rating of the element
--   n_ratings: valid ratings
--   mean_rating: mean of the valid ratings

with

kik as (
    select * from mart_citizen_kik
),

aggregated as (
    select
        intervention_id,
        element_no,
        core_element_id,
        count(distinct citizen_id) as n_citizens,
        count(*) as n_ratings,
        avg(rating) as mean_rating
    from kik
    where is_valid
    group by all
),

-- cells is read by name inside the suppression macro, which sqlfluff cannot see
cells as (  -- noqa: ST03
    select
        *,
        concat_ws('|', intervention_id, element_no) as suppression_group
    from aggregated
),

suppressed as (
    select * from suppress_small_cells(cells)
),

final as (
    select
        suppressed.intervention_id,
        suppressed.element_no,
        suppressed.core_element_id,
        suppressed.suppression_group,
        suppressed.is_suppressed,
        suppressed.suppression_reason,
        suppressed.n_citizens,
        suppressed.n_ratings,
        suppressed.mean_rating
    from suppressed
)

select * from final
